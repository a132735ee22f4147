#!/usr/bin/env python3
"""Writes the scoring demo data (results-*.json, framework-province.json) beside this file.

Real figures (from the seed page or the press, see shared/reference/par-index.md) are kept as given; every
other number is invented, deterministic (fixed seed), consistent with the ranks it must produce, and
marked sample data ("sample_<year>": true on a real unit, "sample_data": true on an invented or all-invented
unit). Run again only to change the data; `cchcctl scoring import-demo` reads the JSON.
"""
import json
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
rng = random.Random(2016)


def C(code, name, max_points, rule="RANGE", evidence=True, subs=None):
    c = {"code": code, "name": name, "max_points": max_points}
    if subs:
        c["sub_criteria"] = subs
    else:
        c["rule"] = rule
        c["evidence_required"] = evidence
    return c


FIELDS = [
    ("1", "Công tác chỉ đạo, điều hành cải cách hành chính", "10", [
        C("1.1", "Kế hoạch cải cách hành chính năm", "2", subs=[
            C("1.1.1", "Ban hành kế hoạch kịp thời", "1", "YES_NO"),
            C("1.1.2", "Mức độ hoàn thành kế hoạch", "1")]),
        C("1.2", "Báo cáo cải cách hành chính định kỳ", "1", "YES_NO"),
        C("1.3", "Kiểm tra công tác cải cách hành chính", "2"),
        C("1.4", "Công tác tuyên truyền cải cách hành chính", "1.5"),
        C("1.5", "Sự năng động trong chỉ đạo, điều hành", "1.5"),
        C("1.6", "Thực hiện nhiệm vụ được giao", "2")]),
    ("2", "Xây dựng và tổ chức thực hiện văn bản quy phạm pháp luật", "10", [
        C("2.1", "Xây dựng, ban hành văn bản quy phạm pháp luật", "2.5"),
        C("2.2", "Rà soát, hệ thống hóa văn bản quy phạm pháp luật", "2.5"),
        C("2.3", "Kiểm tra, xử lý văn bản quy phạm pháp luật", "2.5"),
        C("2.4", "Tổ chức, theo dõi thi hành pháp luật", "2.5")]),
    ("3", "Cải cách thủ tục hành chính", "14.5", [
        C("3.1", "Rà soát, đánh giá thủ tục hành chính", "3"),
        C("3.2", "Công bố, công khai thủ tục hành chính", "3.5"),
        C("3.3", "Cơ chế một cửa, một cửa liên thông", "4", subs=[
            C("3.3.1", "Thủ tục giải quyết theo cơ chế một cửa", "2"),
            C("3.3.2", "Thủ tục giải quyết theo cơ chế một cửa liên thông", "2")]),
        C("3.4", "Tiếp nhận, xử lý phản ánh, kiến nghị", "2"),
        C("3.5", "Kết quả giải quyết thủ tục hành chính đúng hạn", "2")]),
    ("4", "Cải cách tổ chức bộ máy hành chính", "11", [
        C("4.1", "Sắp xếp tổ chức bộ máy", "3"),
        C("4.2", "Thực hiện quy định về chức năng, nhiệm vụ", "3"),
        C("4.3", "Quản lý biên chế", "2.5"),
        C("4.4", "Thực hiện phân cấp quản lý", "2.5")]),
    ("5", "Xây dựng và nâng cao chất lượng đội ngũ cán bộ, công chức, viên chức", "16", [
        C("5.1", "Xác định vị trí việc làm", "2"),
        C("5.2", "Cơ cấu ngạch công chức", "1.5"),
        C("5.3", "Tuyển dụng công chức, viên chức", "2"),
        C("5.4", "Thi nâng ngạch công chức", "1.5"),
        C("5.5", "Thi tuyển chức danh lãnh đạo", "1.5"),
        C("5.6", "Đánh giá, phân loại công chức", "2"),
        C("5.7", "Đào tạo, bồi dưỡng", "2"),
        C("5.8", "Cán bộ, công chức cấp xã", "2"),
        C("5.9", "Chấp hành kỷ luật, kỷ cương hành chính", "1.5")]),
    ("6", "Cải cách tài chính công", "7", [
        C("6.1", "Tự chủ tại cơ quan hành chính", "2.5"),
        C("6.2", "Tự chủ tại đơn vị sự nghiệp công lập", "2.5"),
        C("6.3", "Thực hiện chính sách tiền lương", "2")]),
    ("7", "Hiện đại hóa hành chính", "16", [
        C("7.1", "Ứng dụng công nghệ thông tin", "5"),
        C("7.2", "Cung cấp dịch vụ công trực tuyến", "4"),
        C("7.3", "Cổng thông tin điện tử", "2"),
        C("7.4", "Áp dụng ISO 9001", "3"),
        C("7.5", "Đầu tư trụ sở, trang thiết bị", "2")]),
    ("8", "Tác động của cải cách hành chính đến người dân, tổ chức và phát triển kinh tế - xã hội", "15.5", [
        C("8.1", "Sự hài lòng của người dân, tổ chức", "6", "SURVEY", False),
        C("8.2", "Tác động đến chất lượng quản lý nhà nước", "4.5", "SURVEY", False),
        C("8.3", "Tác động đến phát triển kinh tế - xã hội", "5")]),
]

framework = {
    "code": "PAR-TINH",
    "version": 1,
    "title": "Bộ chỉ số cải cách hành chính cấp tỉnh",
    "unit_kind": "PROVINCE",
    "year": 2012,
    "source": ("Field names and maxima (10/10/14.5/11/16/7/16/15.5 = 100): the provincial set cited as "
               "2948/QĐ-BNV (reference/par-index.md §1.3). The criteria and sub-criteria below and their points "
               "are INVENTED for the demo (a sensible breakdown, not the Ministry's table)."),
    "fields": [{"code": c, "name": n, "max_points": m, "criteria": cs} for c, n, m, cs in FIELDS],
}

PROVINCES = [  # 2015 order: real ranks where known (1-4, 27, 60-63), the rest invented
    ("DA_NANG", "Đà Nẵng"), ("HAI_PHONG", "Hải Phòng"), ("DONG_NAI", "Đồng Nai"), ("THUA_THIEN_HUE", "Thừa Thiên Huế"),
    ("QUANG_NINH", "Quảng Ninh"), ("HO_CHI_MINH", "Thành phố Hồ Chí Minh"), ("BINH_DUONG", "Bình Dương"),
    ("DONG_THAP", "Đồng Tháp"), ("LAO_CAI", "Lào Cai"), ("VINH_LONG", "Vĩnh Long"), ("HA_NAM", "Hà Nam"),
    ("BAC_NINH", "Bắc Ninh"), ("NINH_BINH", "Ninh Bình"), ("KHANH_HOA", "Khánh Hòa"), ("LONG_AN", "Long An"),
    ("CAN_THO", "Cần Thơ"), ("HA_NOI", "Hà Nội"), ("BA_RIA_VUNG_TAU", "Bà Rịa - Vũng Tàu"),
    ("VINH_PHUC", "Vĩnh Phúc"), ("TIEN_GIANG", "Tiền Giang"), ("NAM_DINH", "Nam Định"), ("THAI_BINH", "Thái Bình"),
    ("BEN_TRE", "Bến Tre"), ("QUANG_NAM", "Quảng Nam"), ("AN_GIANG", "An Giang"), ("HAI_DUONG", "Hải Dương"),
    ("SOC_TRANG", "Sóc Trăng"), ("HUNG_YEN", "Hưng Yên"), ("DAK_LAK", "Đắk Lắk"), ("GIA_LAI", "Gia Lai"),
    ("BINH_DINH", "Bình Định"), ("TAY_NINH", "Tây Ninh"), ("KIEN_GIANG", "Kiên Giang"), ("THANH_HOA", "Thanh Hóa"),
    ("NGHE_AN", "Nghệ An"), ("PHU_THO", "Phú Thọ"), ("THAI_NGUYEN", "Thái Nguyên"), ("LAM_DONG", "Lâm Đồng"),
    ("BINH_THUAN", "Bình Thuận"), ("BAC_GIANG", "Bắc Giang"), ("TRA_VINH", "Trà Vinh"), ("CA_MAU", "Cà Mau"),
    ("BAC_LIEU", "Bạc Liêu"), ("HAU_GIANG", "Hậu Giang"), ("QUANG_BINH", "Quảng Bình"), ("HA_TINH", "Hà Tĩnh"),
    ("QUANG_TRI", "Quảng Trị"), ("PHU_YEN", "Phú Yên"), ("NINH_THUAN", "Ninh Thuận"), ("BINH_PHUOC", "Bình Phước"),
    ("BAC_KAN", "Bắc Kạn"), ("TUYEN_QUANG", "Tuyên Quang"), ("YEN_BAI", "Yên Bái"), ("LANG_SON", "Lạng Sơn"),
    ("HOA_BINH", "Hòa Bình"), ("SON_LA", "Sơn La"), ("DAK_NONG", "Đắk Nông"), ("HA_GIANG", "Hà Giang"),
    ("LAI_CHAU", "Lai Châu"), ("QUANG_NGAI", "Quảng Ngãi"), ("KON_TUM", "Kon Tum"), ("CAO_BANG", "Cao Bằng"),
    ("DIEN_BIEN", "Điện Biên"),
]
assert len(PROVINCES) == 63


def curve(anchors, n, mean):
    """n strictly decreasing hundredths through anchors {rank: centi} whose mean is close to `mean`: between
    anchors the values follow a + (b - a) * t**p, one p for all segments, found by bisection."""
    ranks = sorted(anchors)

    def values(p):
        out = []
        for r in range(1, n + 1):
            for a, b in zip(ranks, ranks[1:]):
                if a <= r <= b:
                    t = (r - a) / (b - a)
                    out.append(round(anchors[a] + (anchors[b] - anchors[a]) * t ** p))
                    break
        for i in range(1, n):  # strictly decreasing (only free ranks ever need it)
            if out[i] >= out[i - 1]:
                out[i] = out[i - 1] - 1
        return out

    lo, hi = 0.2, 5.0  # larger p keeps values high for longer: the mean grows with p
    for _ in range(60):
        mid = (lo + hi) / 2
        if sum(values(mid)) / n < mean:
            lo = mid
        else:
            hi = mid
    return values((lo + hi) / 2)


def fmt(centi):
    return "%d.%02d" % divmod(centi, 100)


# 2015: anchors from the press (1-3, 63, average 85.11) and the seed (Sóc Trăng 86.15, 27th).
v2015 = curve({1: 9331, 2: 9259, 3: 9253, 27: 8615, 63: 7499}, 63, 8511)
real2015 = {"DA_NANG", "HAI_PHONG", "DONG_NAI", "SOC_TRANG", "DIEN_BIEN"}
# 2014: Đà Nẵng 92.54 first, Sóc Trăng 81.72 33rd (seed: +4.43, up 6), Bắc Kạn last; other places shuffled.
order2014 = [code for code, _ in PROVINCES if code not in ("DA_NANG", "SOC_TRANG", "BAC_KAN")]
for i in range(len(order2014) - 1):  # local reshuffle: provinces move a few places
    if rng.random() < 0.5:
        j = min(len(order2014) - 1, i + rng.randint(1, 4))
        order2014[i], order2014[j] = order2014[j], order2014[i]
order2014 = ["DA_NANG"] + order2014
order2014.insert(32, "SOC_TRANG")
order2014.append("BAC_KAN")
bac_kan_2015 = v2015[[c for c, _ in PROVINCES].index("BAC_KAN")]
v2014 = curve({1: 9254, 33: 8172, 63: bac_kan_2015 - 1438}, 63, 7672)
real2014 = {"DA_NANG", "SOC_TRANG"}
score2014 = dict(zip(order2014, v2014))

provinces = {
    "unit_kind": "PROVINCE",
    "framework": {"code": "PAR-TINH", "title": framework["title"], "tree_from": "framework-province.json"},
    "periods": {"2014": "Chỉ số cải cách hành chính năm 2014 của các tỉnh, thành phố",
                "2015": "Chỉ số cải cách hành chính năm 2015 của các tỉnh, thành phố"},
    "note": ("Real: 2015 Đà Nẵng 93.31, Hải Phòng 92.59, Đồng Nai 92.53, Điện Biên 74.99 (press); Sóc Trăng "
             "2015 86.15 (27th) and 2014 81.72 (33rd) (seed page, unverified); 2014 Đà Nẵng 92.54. Everything "
             "else is invented and marked sample_<year>."),
    "units": [],
}
for i, (code, name) in enumerate(PROVINCES):
    provinces["units"].append({
        "code": code, "name": name,
        "results": {"2014": fmt(score2014[code]), "2015": fmt(v2015[i])},
        "sample_2014": code not in real2014, "sample_2015": code not in real2015,
    })

DEPARTMENTS = [
    ("SNV", "Sở Nội vụ"), ("STP", "Sở Tư pháp"), ("SKHDT", "Sở Kế hoạch và Đầu tư"), ("STC", "Sở Tài chính"),
    ("SCT", "Sở Công Thương"), ("SNNPTNT", "Sở Nông nghiệp và Phát triển nông thôn"),
    ("SGTVT", "Sở Giao thông vận tải"), ("SXD", "Sở Xây dựng"), ("STNMT", "Sở Tài nguyên và Môi trường"),
    ("STTTT", "Sở Thông tin và Truyền thông"), ("SLDTBXH", "Sở Lao động - Thương binh và Xã hội"),
    ("SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch"), ("SKHCN", "Sở Khoa học và Công nghệ"),
    ("SGDDT", "Sở Giáo dục và Đào tạo"), ("SYT", "Sở Y tế"), ("TTR", "Thanh tra tỉnh"),
    ("VPUBND", "Văn phòng Ủy ban nhân dân tỉnh"), ("BDT", "Ban Dân tộc"), ("SNGV", "Sở Ngoại vụ"),
    ("BQLKCN", "Ban Quản lý các khu công nghiệp"), ("BQLDA", "Ban Quản lý dự án đầu tư xây dựng"),
    ("DPTTH", "Đài Phát thanh và Truyền hình"),
]
assert len(DEPARTMENTS) == 22


def solve(codes, order2015, moves, n_improved, fixed_improved=(), attempts=200000):
    """Totals for two years: 2015 in `order2015`; 2014 such that each unit in `moves` had that 2014 rank and
    exactly `n_improved` units (with `fixed_improved`) rose. Random search with a fixed seed."""
    s2015 = {c: 9200 - i * 60 - rng.randint(0, 20) for i, c in enumerate(order2015)}
    for _ in range(attempts):
        improved = set(fixed_improved)
        others = [c for c in codes if c not in improved]
        rng.shuffle(others)
        improved |= set(others[: n_improved - len(improved)])
        s2014 = {c: s2015[c] - rng.randint(30, 900) if c in improved else s2015[c] + rng.randint(20, 400)
                 for c in codes}
        if len(set(s2014.values())) != len(codes):
            continue
        order2014 = sorted(codes, key=lambda c: -s2014[c])
        if all(order2014.index(c) + 1 == r for c, r in moves.items()):
            return order2014, improved, (s2014, s2015)
    raise SystemExit("no solution")


dept_codes = [c for c, _ in DEPARTMENTS]
order2015 = list(dept_codes)
rng.shuffle(order2015)
order2015.remove("SGDDT")
order2015.insert(2, "SGDDT")  # 3rd in 2015, 12th in 2014: up 9 places
_, improved, (d2014, d2015) = solve(dept_codes, order2015, {"SGDDT": 12}, 14, fixed_improved=("SGDDT",))
departments = {
    "unit_kind": "DEPARTMENT",
    "framework": {"code": "PAR-SO", "title": "Bộ chỉ số cải cách hành chính các sở, ban, ngành tỉnh Sóc Trăng",
                  "tree_from": "framework-province.json",
                  "source": "INVENTED for the demo: the provincial 8-field tree reused for departments."},
    "periods": {"2014": "Chỉ số CCHC năm 2014 các sở, ban, ngành tỉnh Sóc Trăng",
                "2015": "Chỉ số CCHC năm 2015 các sở, ban, ngành tỉnh Sóc Trăng"},
    "note": "All totals invented; they give the seed's summary: 14 of 22 improved, Sở Giáo dục và Đào tạo up 9.",
    "units": [{"code": c, "name": n, "parent": "SOC_TRANG", "sample_data": True,
               "results": {"2014": fmt(d2014[c]), "2015": fmt(d2015[c])}} for c, n in DEPARTMENTS],
}
assert sum(1 for c in dept_codes if d2015[c] > d2014[c]) == 14

DISTRICTS = [
    ("TP_SOC_TRANG", "Thành phố Sóc Trăng"), ("CHAU_THANH", "Huyện Châu Thành"), ("KE_SACH", "Huyện Kế Sách"),
    ("MY_TU", "Huyện Mỹ Tú"), ("CU_LAO_DUNG", "Huyện Cù Lao Dung"), ("LONG_PHU", "Huyện Long Phú"),
    ("MY_XUYEN", "Huyện Mỹ Xuyên"), ("NGA_NAM", "Thị xã Ngã Năm"), ("THANH_TRI", "Huyện Thạnh Trị"),
    ("VINH_CHAU", "Thị xã Vĩnh Châu"), ("TRAN_DE", "Huyện Trần Đề"),
]
dist_codes = [c for c, _ in DISTRICTS]
rest = [c for c in dist_codes if c not in ("LONG_PHU", "MY_XUYEN", "TRAN_DE")]
rng.shuffle(rest)
dorder2015 = ["LONG_PHU", "MY_XUYEN", "TRAN_DE"] + rest  # Long Phú 1st, Mỹ Xuyên 2nd, Trần Đề 3rd
_, _, (t2014, t2015) = solve(dist_codes, dorder2015, {"MY_XUYEN": 8, "TRAN_DE": 10}, 7,
                             fixed_improved=("MY_XUYEN", "TRAN_DE"))
districts = {
    "unit_kind": "DISTRICT",
    "framework": {"code": "PAR-HUYEN", "title": "Bộ chỉ số cải cách hành chính cấp huyện tỉnh Sóc Trăng",
                  "tree_from": "framework-province.json",
                  "source": "INVENTED for the demo: the provincial 8-field tree reused for districts."},
    "periods": {"2014": "Chỉ số CCHC năm 2014 các huyện, thị xã, thành phố tỉnh Sóc Trăng",
                "2015": "Chỉ số CCHC năm 2015 các huyện, thị xã, thành phố tỉnh Sóc Trăng"},
    "note": "All totals invented; the ranks follow the seed: Long Phú 1st, Mỹ Xuyên 8th → 2nd, Trần Đề 10th → 3rd.",
    "units": [{"code": c, "name": n, "parent": "SOC_TRANG", "sample_data": True,
               "results": {"2014": fmt(t2014[c]), "2015": fmt(t2015[c])}} for c, n in DISTRICTS],
}

def leaves(fields):
    """(code, max in hundredths, rule) of every scored criterion, in tree order."""
    out = []
    def walk(c):
        if "sub_criteria" in c:
            for s in c["sub_criteria"]:
                walk(s)
        else:
            out.append((c["code"], round(float(c["max_points"]) * 100), c.get("rule", "RANGE")))
    for _, _, _, cs in fields:
        for c in cs:
            walk(c)
    return out


def criteria_points(total, crng):
    """INVENTED points per scored criterion adding up to `total` (hundredths): the points lost (100.00 − total)
    spread over range and survey criteria in quarter points (yes/no ones stay at their maximum), the odd
    hundredths on one criterion."""
    leaf = leaves(FIELDS)
    lost = {code: 0 for code, _, _ in leaf}
    room = {code: mx for code, mx, rule in leaf if rule != "YES_NO"}
    left = 10000 - total
    odd = left % 25
    while left > odd:
        code = crng.choice(sorted(c for c, r in room.items() if r - lost[c] >= 25))
        lost[code] += 25
        left -= 25
    if odd:
        code = crng.choice(sorted(c for c, r in room.items() if r - lost[c] >= odd))
        lost[code] += odd
    points = {code: fmt(mx - lost[code]) for code, mx, _ in leaf}
    assert sum(mx - lost[code] for code, mx, _ in leaf) == total
    return points


# Per-criterion points for the departments (what-if plans): invented, from their own generator so the totals
# above stay as they were.
crng = random.Random(2025)
for u in departments["units"]:
    u["criteria"] = {year: criteria_points(round(float(total) * 100), crng) for year, total in u["results"].items()}
departments["note"] += " Points per criterion invented too (for the what-if plan)."

for name, data in [("framework-province.json", framework), ("results-1-province.json", provinces),
                   ("results-2-department.json", departments), ("results-3-district.json", districts)]:
    with open(os.path.join(HERE, name), "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=1)
        f.write("\n")
print("written")
