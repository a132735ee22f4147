#!/usr/bin/python3
"""The portal in a real browser: headless Chromium driven by Selenium (Debian's chromium, chromium-driver and
python3-selenium; run with /usr/bin/python3). The driver is /usr/bin/chromedriver, given explicitly, so Selenium
never tries to download one.

Against a running portal (the system test tests/system/portal_browser_test.cc starts the stack and runs this):
- the seed article as it stood on 2018-06-19 (?date=): its visible text, whitespace-normalised, holds every
  non-empty line of the seed page in order, the view count 552 included; an archive view counts no view;
- a comment sent through the form is announced as awaiting moderation, is not shown until a moderator approves
  it with cchcctl, then is; a comment holding <script> is shown as text and runs nothing;
- screenshots of the pages go to --shots, their paths printed.
Exit status 0 when every check passed; a failed check raises (non-zero exit, the reason on stderr).
"""
import argparse
import json
import os
import shlex
import subprocess
import sys
import uuid

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import portal_pages_checks  # the pages of documents and rankings (services/portal/pages/)

SEED_SLUG = "uy-ban-nhan-dan-tinh-soc-trang-to-chuc-hoi-nghi-cai-cach-hanh-chinh-nam-2016"


def normalise(text):
    """Runs of white space (no-break spaces included) as one space, ends trimmed."""
    return " ".join(text.split())


def visible_text(driver):
    return normalise(driver.find_element(By.TAG_NAME, "body").text)


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def contains_in_order(text, lines):
    """The first of `lines` not found in `text` after the previous one, or None when all are."""
    position = 0
    for line in lines:
        found = text.find(line, position)
        if found < 0:
            return line
        position = found + len(line)
    return None


def shoot(driver, shots, name):
    path = os.path.join(shots, name + ".png")
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(1280, max(800, min(int(height), 8000)))
    driver.save_screenshot(path)
    print("screenshot: " + path, flush=True)
    return path


def new_driver():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1600",
                     "--lang=vi"):
        options.add_argument(argument)
    return webdriver.Chrome(service=Service(executable_path="/usr/bin/chromedriver"), options=options)


def check_seed_page(driver, base, seed_path, shots):
    with open(seed_path, encoding="utf-8") as f:
        lines = [normalise(line) for line in f.read().split("\n")]
    lines = [line for line in lines if line]
    url = base + "/cai-cach-hanh-chinh/" + SEED_SLUG + "?date=2018-06-19"
    driver.get(url)
    text = visible_text(driver)
    missing = contains_in_order(text, lines)
    check(missing is None, "the seed page's line is missing or out of order: %r\npage text: %s" % (missing, text))
    check(driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "vi", "lang is not vi")
    check(driver.find_element(By.TAG_NAME, "h1").text == lines[3], "the h1 is not the title")
    shoot(driver, shots, "article-2018-06-19")
    # An archive view records none: asked again, the page still shows 552.
    driver.get(url)
    check(" 552 " in " " + visible_text(driver) + " ", "an archive view changed the count")
    print("seed page: %d lines in order, 552 views" % len(lines), flush=True)


def submit_comment(driver, base, name, content):
    driver.get(base + "/cai-cach-hanh-chinh/" + SEED_SLUG)
    form = driver.find_element(By.CSS_SELECTOR, "form.comment-form")
    form.find_element(By.NAME, "ten").send_keys(name)
    form.find_element(By.NAME, "email").send_keys("ban.doc@example.vn")
    form.find_element(By.NAME, "noi-dung").send_keys(content)
    old_page = driver.find_element(By.TAG_NAME, "html")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    # The form answers 303 to ?gui=cho-duyet: wait for that page, not only for its address.
    WebDriverWait(driver, 15).until(expected_conditions.staleness_of(old_page))
    WebDriverWait(driver, 15).until(lambda d: "gui=cho-duyet" in d.current_url)
    text = visible_text(driver)
    check("đang chờ kiểm duyệt" in text, "no 'awaits moderation' notice after submitting: " + text[-600:])
    check(normalise(content) not in text, "a comment is shown before it is approved")


def approve(cchcctl, content):
    """Approves, as a moderator with cchcctl, the pending comment of the seed article whose text is `content`."""
    listing = subprocess.run(cchcctl + ["--json", "comment", "list", SEED_SLUG, "--status", "PENDING",
                                        "--page-size", "100"], capture_output=True, text=True, check=True)
    comments = json.loads(listing.stdout).get("comments", [])
    names = [c["name"] for c in comments if c.get("content") == content]
    check(len(names) == 1, "pending comment not found once: %r in %s" % (content, listing.stdout))
    subprocess.run(cchcctl + ["comment", "approve", names[0]], capture_output=True, text=True, check=True)


def check_comments(driver, base, cchcctl, shots):
    marker = uuid.uuid4().hex[:8]
    plain = "Ý kiến thử nghiệm %s: hội nghị rất bổ ích." % marker
    hostile = "<script>window.__portal_pwned = 1</script> Xin chào <b>đậm</b> %s" % marker
    submit_comment(driver, base, "Bạn đọc %s" % marker, plain)
    submit_comment(driver, base, "Người thử <i>%s</i>" % marker, hostile)
    approve(cchcctl, plain)
    approve(cchcctl, hostile)
    driver.get(base + "/cai-cach-hanh-chinh/" + SEED_SLUG)
    text = visible_text(driver)
    check(plain in text, "the approved comment is not shown")
    check("Bạn đọc %s" % marker in text, "the comment's author is not shown")
    check(normalise(hostile) in text, "the <script> comment is not shown as text")
    check("Người thử <i>%s</i>" % marker in text, "the author's markup is not shown as text")
    check(driver.execute_script("return window.__portal_pwned === undefined"), "the comment's script ran")
    check(not driver.find_elements(By.CSS_SELECTOR, "main script, main b, main i"),
          "the comment's markup became elements")
    check(text.index("Ý kiến bạn đọc") < text.index(plain) < text.index("Văn bản Cải cách hành chính"),
          "the comments are not between the article and the sidebar")
    shoot(driver, shots, "article-with-comments")
    print("comments: submitted, awaited moderation, approved with cchcctl, shown as text", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", required=True, help="the portal, e.g. http://127.0.0.1:8080")
    parser.add_argument("--seed", required=True, help="the seed page's text")
    parser.add_argument("--shots", required=True, help="folder of the screenshots")
    parser.add_argument("--cchcctl", required=True, help="cchcctl's command line with a moderator's token")
    args = parser.parse_args()
    os.makedirs(args.shots, exist_ok=True)
    driver = new_driver()
    try:
        check_seed_page(driver, args.base, args.seed, args.shots)
        check_comments(driver, args.base, shlex.split(args.cchcctl), args.shots)
        # The documents and PAR INDEX pages (services/portal/pages/): /van-ban?q=… lists 96/KH-SGDĐT, the 2015
        # province ranking holds 63 bars with Sóc Trăng 27th.
        portal_pages_checks.check_documents(driver, args.base)
        for path in portal_pages_checks.check_ranking(driver, args.base, args.shots):
            print(f"screenshot: {path}", flush=True)
    finally:
        driver.quit()
    print("browser checks passed", flush=True)


if __name__ == "__main__":
    main()
