#include "corpus.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <thread>

#include "cchc/document/v1/document.grpc.pb.h"

namespace cchc::loadgen {
namespace {

using Clock = std::chrono::steady_clock;

// Phrases from the portal's "Văn bản Cải cách hành chính" sidebar and the article beside it
// (/work/shared/seed/000_468b2f1c915c1baf.txt), recombined; other fields get the same treatment.
struct Kind {
  const char* type;  // "" for công văn
  std::vector<const char*> heads;
};
const std::vector<Kind>& Kinds() {
  static const std::vector<Kind> kKinds = {
      {"KH",
       {"Kế hoạch thực hiện", "Tuyên truyền", "Kiểm tra công tác", "Kiểm soát", "Hoạt động kiểm soát",
        "Kế hoạch tuyên truyền"}},
      {"BC",
       {"Báo cáo kết quả thực hiện", "Kết quả thực hiện công tác", "Tình hình, kết quả thực hiện",
        "Báo cáo tổng kết công tác", "Báo cáo sơ kết"}},
      {"QĐ", {"Công bố chỉ số", "Ban hành Chỉ số", "Ban hành Quy chế", "Thành lập Tổ kiểm tra", "Phê duyệt danh sách"}},
      {"TB",
       {"Tổ chức Hội nghị tổng kết công tác", "Thông báo kết luận kiểm tra", "Về việc triển khai",
        "Thực hiện tiếp nhận hồ sơ"}},
      {"",
       {"Đóng góp ý kiến dự thảo Kế hoạch", "Góp ý dự thảo tiêu chí chấm điểm", "Chấm điểm", "Về việc thực hiện",
        "Hướng dẫn thực hiện"}},
  };
  return kKinds;
}
// KH 25%, BC 20%, QĐ 15%, TB 10%, công văn 30%.
int KindOf(uint64_t h) {
  int p = static_cast<int>(h % 100);
  return p < 25 ? 0 : p < 45 ? 1 : p < 60 ? 2 : p < 70 ? 3 : 4;
}

struct Field {
  const char* name;
  const char* unit;  // the drafting unit of its công văn
  std::vector<const char*> topics;
};
const std::vector<Field>& Fields() {
  static const std::vector<Field> kFields = {
      {kCchcField,
       "TCCB",
       {"cải cách hành chính", "thủ tục hành chính", "chỉ số CCHC", "cải cách thủ tục hành chính",
        "tiếp nhận và trả kết quả giải quyết thủ tục hành chính qua dịch vụ bưu chính công ích",
        "cung cấp dịch vụ công trực tuyến mức độ 3", "cung cấp dịch vụ công trực tuyến mức độ 4",
        "áp dụng hệ thống quản lý chất lượng theo tiêu chuẩn TCVN ISO 9001:2008", "hiện đại hóa nền hành chính",
        "tuyên truyền CCHC"}},
      {"Giáo dục trung học",
       "GDTrH",
       {"đổi mới phương pháp dạy học và kiểm tra, đánh giá", "kỳ thi tuyển sinh vào lớp 10", "giáo dục STEM",
        "hoạt động trải nghiệm, hướng nghiệp"}},
      {"Giáo dục mầm non",
       "GDMN",
       {"chăm sóc, giáo dục trẻ", "phổ cập giáo dục mầm non cho trẻ em 5 tuổi",
        "xây dựng trường mầm non lấy trẻ làm trung tâm"}},
      {"Tổ chức cán bộ",
       "TCCB",
       {"tuyển dụng viên chức", "bồi dưỡng cán bộ quản lý", "đánh giá, xếp loại viên chức",
        "bổ nhiệm lại cán bộ quản lý"}},
      {"Thi đua - Khen thưởng",
       "VP",
       {"phong trào thi đua", "khen thưởng tổng kết năm học", "xét tặng danh hiệu Nhà giáo Ưu tú"}},
      {"Khảo thí và Kiểm định chất lượng giáo dục",
       "KTKĐ",
       {"kiểm định chất lượng giáo dục", "kỳ thi trung học phổ thông quốc gia", "chấm thi, phúc khảo"}},
  };
  return kFields;
}
// ~60% Cải cách hành chính, the rest spread over the other fields.
int FieldOf(uint64_t h) {
  int p = static_cast<int>(h % 100);
  return p < 60 ? 0 : 1 + (p - 60) % (static_cast<int>(Fields().size()) - 1);
}

std::string Scope(uint64_t h, int year) {
  std::string y = std::to_string(year);
  switch (h % 9) {
    case 0:
      return "năm " + y;
    case 1:
      return "quý I năm " + y;
    case 2:
      return "quý III và phương hướng, nhiệm vụ quý IV năm " + y;
    case 3:
      return "6 tháng đầu năm " + y + " và phương hướng nhiệm vụ 6 tháng cuối năm";
    case 4:
      return "giai đoạn " + y + "-" + std::to_string(year + 5);
    case 5:
      return "năm học " + y + "-" + std::to_string(year + 1);
    case 6:
      return "tại các đơn vị thuộc và trực thuộc Sở Giáo dục và Đào tạo năm " + y;
    case 7:
      return "đối với các đơn vị sự nghiệp trực thuộc Sở Giáo dục và Đào tạo";
    default:
      return "năm " + y + " và phương hướng, nhiệm vụ năm " + std::to_string(year + 1);
  }
}

std::string Body(uint64_t h, const std::string& topic, int year) {
  std::string y = std::to_string(year), prev = std::to_string(year - 1);
  switch (h % 4) {
    case 0:
      return "Nhằm tổng kết kết quả thực hiện " + topic + " năm " + prev +
             ", triển khai kế hoạch thực hiện Chương trình tổng thể cải cách hành chính nhà nước trên địa bàn "
             "tỉnh Sóc Trăng.";
    case 1:
      return "Các đơn vị, địa phương khắc phục những tồn tại hạn chế trong công tác " + topic +
             "; có lộ trình, giải pháp cụ thể để cải thiện kết quả năm " + y + " và những năm tiếp theo.";
    case 2:
      return "Sở Giáo dục và Đào tạo đề nghị thủ trưởng các đơn vị thuộc và trực thuộc triển khai thực hiện " + topic +
             ", báo cáo kết quả về Sở (qua phòng Tổ chức cán bộ) đúng thời gian quy định.";
    default:
      return "";  // many entries of the portal carry only the attached file
  }
}

const char* const kSigners[] = {"Nguyễn Văn Hùng", "Lê Thị Mai", "Trần Quốc Tuấn", "Phạm Minh Đức", "Dương Thanh Bình"};

uint64_t Mix(uint64_t x) {  // splitmix64
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::string IsoDate(int year, int day_of_year) {
  using namespace std::chrono;
  year_month_day d{sys_days{std::chrono::year{year} / January / 1} + days{day_of_year}};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                static_cast<unsigned>(d.day()));
  return buf;
}

}  // namespace

constexpr int kYears = 16;  // 2010–2025

int64_t LoadOrder(int64_t k, int64_t total) {
  // Year by year, then by seq (the day grows with it); the years' last rows may be missing when total is not a
  // multiple of kYears, so the k-th present one is counted.
  const int64_t per_year = (total + kYears - 1) / kYears;
  const int64_t full_years = total % kYears == 0 ? kYears : total % kYears;  // years with per_year rows
  const int64_t in_full = full_years * per_year;
  const int64_t year = k < in_full ? k / per_year : full_years + (k - in_full) / (per_year - 1);
  const int64_t seq = k < in_full ? k % per_year : (k - in_full) % (per_year - 1);
  return seq * kYears + year;
}

v1::Document CorpusDocument(int64_t i, int64_t total) {
  const int year = 2010 + static_cast<int>(i % kYears);
  const int64_t per_year = (total + kYears - 1) / kYears;
  const int64_t seq = i / kYears;  // numbers run through the year, across types, as in the sidebar
  const int day = static_cast<int>(seq * 365 / std::max<int64_t>(per_year, 1));
  const uint64_t h = Mix(static_cast<uint64_t>(i));
  const Kind& kind = Kinds()[static_cast<size_t>(KindOf(h))];
  const Field& field = Fields()[static_cast<size_t>(FieldOf(h >> 8))];
  const std::string topic = field.topics[(h >> 16) % field.topics.size()];
  const std::string number = std::to_string(seq + 1);

  v1::Document d;
  d.set_code(kind.type[0] ? number + "/" + kind.type + "-SGDĐT" : number + "/SGDĐT-" + field.unit);
  d.set_issuer_name("Sở Giáo dục và Đào tạo Sóc Trăng");
  d.set_issue_date(IsoDate(year, day));
  if (std::string(kind.type) == "QĐ") d.set_effective_date(d.issue_date());
  d.set_subject(std::string(kind.heads[(h >> 24) % kind.heads.size()]) + " " + topic + " " + Scope(h >> 32, year));
  d.set_body(Body(h >> 40, topic, year));
  d.add_fields(field.name);
  auto* signer = d.mutable_signer();
  signer->set_name(kSigners[(h >> 48) % std::size(kSigners)]);
  bool deputy = (h >> 52) % 3 != 0;
  signer->set_position(deputy ? "Phó Giám đốc" : "Giám đốc");
  signer->set_authority(deputy ? "KT." : "");
  return d;
}

Corpus::Corpus(std::vector<std::shared_ptr<grpc::Channel>> channels, std::string token)
    : channels_(std::move(channels)), bearer_("Bearer " + std::move(token)) {}

Corpus::~Corpus() = default;

std::vector<std::string> Corpus::ListPublished() {
  auto stub = v1::DocumentService::NewStub(channels_.front());
  std::vector<std::string> names;
  v1::ListDocumentsRequest req;
  req.mutable_filter()->set_status(v1::PUBLISHED);
  req.set_page_size(100);
  for (;;) {
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", bearer_);
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    v1::ListDocumentsResponse resp;
    auto status = stub->ListDocuments(&ctx, req, &resp);
    if (!status.ok()) throw std::runtime_error("ListDocuments: " + status.error_message());
    for (const auto& d : resp.documents()) names.push_back(d.name());
    if (resp.next_page_token().empty()) break;
    req.set_page_token(resp.next_page_token());
  }
  return names;
}

std::vector<std::string> Corpus::Load(int64_t total, int workers, CorpusReport* report) {
  std::vector<std::string> names(static_cast<size_t>(total));
  std::atomic<int64_t> next{0}, done{0}, failed{0};
  std::mutex error_mu;
  std::string first_error;
  auto started = Clock::now();
  auto note_error = [&](const std::string& what) {
    ++failed;
    std::lock_guard lock(error_mu);
    if (first_error.empty()) first_error = what;
  };
  std::vector<std::thread> threads;
  for (int w = 0; w < workers; ++w) {
    threads.emplace_back([&, w] {
      auto stub = v1::DocumentService::NewStub(channels_[static_cast<size_t>(w) % channels_.size()]);
      for (int64_t k = next++; k < total; k = next++) {
        const int64_t i = LoadOrder(k, total);
        v1::CreateDocumentRequest create;
        *create.mutable_document() = CorpusDocument(i, total);
        create.set_request_id("loadgen-" + std::to_string(i));
        v1::Document created;
        grpc::ClientContext c1;
        c1.AddMetadata("authorization", bearer_);
        c1.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
        auto status = stub->CreateDocument(&c1, create, &created);
        if (!status.ok()) {
          note_error("CreateDocument " + create.document().code() + ": " + status.error_message());
          continue;
        }
        v1::PublishDocumentRequest publish;
        publish.set_name(created.name());
        v1::Document published;
        grpc::ClientContext c2;
        c2.AddMetadata("authorization", bearer_);
        c2.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
        status = stub->PublishDocument(&c2, publish, &published);
        // A replayed create of an already published document: fine.
        if (!status.ok() && status.error_code() != grpc::StatusCode::FAILED_PRECONDITION) {
          note_error("PublishDocument " + created.name() + ": " + status.error_message());
          continue;
        }
        names[static_cast<size_t>(i)] = created.name();
        int64_t n = ++done;
        if (n % 10000 == 0) {
          double s = std::chrono::duration<double>(Clock::now() - started).count();
          std::cerr << "loadgen: " << n << "/" << total << " documents (" << static_cast<int64_t>(n / s) << "/s)\n";
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  report->created = done;
  report->failed = failed;
  report->seconds = std::chrono::duration<double>(Clock::now() - started).count();
  if (!first_error.empty()) std::cerr << "loadgen: " << failed << " documents failed; first: " << first_error << "\n";
  std::erase_if(names, [](const std::string& n) { return n.empty(); });
  return names;
}

}  // namespace cchc::loadgen
