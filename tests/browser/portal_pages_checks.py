"""The portal's document and PAR INDEX pages as a reader's browser sees them (issue 28).

Selenium 4.8 API, no JavaScript needed by the pages: the integrator's browser test (portal-core's) calls
check_documents(driver, base_url) and check_ranking(driver, base_url, shots_dir) on a headless Chromium against
the stack its fixture started with the demo data loaded. Each raises AssertionError with what it saw.

Standalone, against a running portal (e.g. `tools/dev up`):
    /usr/bin/python3 tests/browser/portal_pages_checks.py http://127.0.0.1:8080 build/portal-screenshots
"""

import os
import re
import sys
from urllib.parse import quote, urlparse

from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

SEARCH = "cai cach hanh chinh"
PLAN_CODE = "96/KH-SGDĐT"
UUID = re.compile(r"^/van-ban/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")



def _click_and_wait(driver, element):
    """Clicks a link or a submit button and waits for the next page: the old page's elements go stale, so
    reading them right after the click races the navigation."""
    old_page = driver.find_element(By.TAG_NAME, "html")
    element.click()
    WebDriverWait(driver, 10).until(expected_conditions.staleness_of(old_page))

def _texts(driver, selector):
    return [e.text.strip() for e in driver.find_elements(By.CSS_SELECTOR, selector)]


def _no_alert(driver):
    try:
        alert = driver.switch_to.alert
    except NoAlertPresentException:
        return
    text = alert.text
    alert.dismiss()
    raise AssertionError(f"a script ran on the page: alert {text!r}")


def _screenshot(driver, shots_dir, name):
    """Saves the whole page (the window stretched to its height) as shots_dir/name; returns the path."""
    os.makedirs(shots_dir, exist_ok=True)
    path = os.path.abspath(os.path.join(shots_dir, name))
    size = driver.get_window_size()
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(max(size["width"], 1280), min(max(int(height), 600), 16000))
    try:
        assert driver.save_screenshot(path), f"no screenshot written to {path}"
    finally:
        driver.set_window_size(size["width"], size["height"])
    return path


def search_url(base_url, terms=SEARCH):
    return f"{base_url.rstrip('/')}/van-ban?q={quote(terms)}"


def check_documents(driver, base_url, shots_dir=None):
    """/van-ban?q=cai cach hanh chinh lists 96/KH-SGDĐT, its link opens the document's page, the search box
    echoes what was typed as text (a <script> runs nowhere), a year filter keeps to its year. Returns the
    screenshot paths written (the search page's, when shots_dir is given)."""
    base = base_url.rstrip("/")
    driver.get(search_url(base))
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "vi", "html lang is not vi"
    box = driver.find_element(By.CSS_SELECTOR, "form.document-filters input[name=q]")
    assert box.get_attribute("value") == SEARCH, f"search box holds {box.get_attribute('value')!r}"
    codes = _texts(driver, "table.document-list td.code a")
    assert PLAN_CODE in codes, f"{PLAN_CODE} not among the results {codes}"
    shots = [_screenshot(driver, shots_dir, "van-ban-search.png")] if shots_dir else []

    # The document's own page, through the link.
    link = [a for a in driver.find_elements(By.CSS_SELECTOR, "table.document-list td.code a")
            if a.text.strip() == PLAN_CODE][0]
    _click_and_wait(driver, link)
    path = urlparse(driver.current_url).path
    assert UUID.match(path), f"the link went to {driver.current_url}"
    assert driver.find_element(By.CSS_SELECTOR, "dl.document-metadata dd.code").text.strip() == PLAN_CODE
    metadata = driver.find_element(By.CSS_SELECTOR, "dl.document-metadata").text
    assert "16/01/2018" in metadata, f"issue date dd/mm/yyyy missing: {metadata!r}"
    assert "Còn hiệu lực" in metadata or "Hết hiệu lực" in metadata, f"no validity: {metadata!r}"

    # Typed into the box and submitted without JavaScript: shown back as text.
    driver.get(f"{base}/van-ban")
    attack = "<script>alert(1)</script>"
    box = driver.find_element(By.CSS_SELECTOR, "form.document-filters input[name=q]")
    box.clear()
    box.send_keys(attack)
    _click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "form.document-filters button[type=submit]"))
    _no_alert(driver)
    box = driver.find_element(By.CSS_SELECTOR, "form.document-filters input[name=q]")
    assert box.get_attribute("value") == attack, f"box holds {box.get_attribute('value')!r}"
    heading = driver.find_element(By.ID, "documents-results").text
    assert attack in heading, f"the terms are not shown as text: {heading!r}"

    # A year filter keeps to its year.
    driver.get(f"{base}/van-ban?year=2018")
    years = {t.get_attribute("datetime")[:4] for t in
             driver.find_elements(By.CSS_SELECTOR, "table.document-list time")}
    assert years == {"2018"}, f"year filter 2018 shows {sorted(years)}"
    return shots


def check_ranking(driver, base_url, shots_dir):
    """The 2015 province ranking holds an SVG bar chart of 63 bars, Sóc Trăng 27th (▲6); the departments'
    ranking says 14/22; Sóc Trăng's unit page draws two line charts. Saves screenshots of the ranking page and of
    /van-ban?q=…; returns their paths."""
    base = base_url.rstrip("/")
    driver.get(f"{base}/chi-so-cai-cach-hanh-chinh/2015/tinh")
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "vi", "html lang is not vi"
    bars = driver.find_elements(By.CSS_SELECTOR, "svg.bar-chart rect.bar")
    assert len(bars) == 63, f"{len(bars)} bars, not 63"
    assert all(float(b.get_attribute("width")) > 0 for b in bars), "a bar without length"
    chart = driver.find_element(By.CSS_SELECTOR, "svg.bar-chart")
    assert chart.get_attribute("role") == "img"
    title = chart.find_element(By.CSS_SELECTOR, "title").get_attribute("textContent")
    assert "2015" in title, f"chart title {title!r}"
    row = None
    for tr in driver.find_elements(By.CSS_SELECTOR, "table.ranking-table tbody tr"):
        if tr.find_element(By.CSS_SELECTOR, "th.unit").text.strip() == "Sóc Trăng":
            row = tr
    assert row is not None, "no Sóc Trăng row"
    assert row.find_element(By.CSS_SELECTOR, "td.rank").text.strip() == "27", "Sóc Trăng is not 27th"
    assert row.find_element(By.CSS_SELECTOR, "td.total").text.strip() == "86,15"
    assert row.find_element(By.CSS_SELECTOR, "td.rank-change").text.strip() == "▲6"
    shots = [_screenshot(driver, shots_dir, "chi-so-cchc-2015-tinh.png")]

    _click_and_wait(driver, row.find_element(By.CSS_SELECTOR, "th.unit a"))
    assert urlparse(driver.current_url).path == "/chi-so-cai-cach-hanh-chinh/don-vi/SOC_TRANG", driver.current_url
    assert len(driver.find_elements(By.CSS_SELECTOR, "svg.line-chart")) == 2, "no points and rank charts"
    assert len(driver.find_elements(By.CSS_SELECTOR, "svg.line-chart circle.point")) == 4, "not 2 years × 2"

    driver.get(f"{base}/chi-so-cai-cach-hanh-chinh/2015/so-nganh")
    improved = driver.find_element(By.CSS_SELECTOR, ".ranking-summary .improved").text
    assert improved.startswith("14/22"), f"departments: {improved!r}"
    assert len(driver.find_elements(By.CSS_SELECTOR, "svg.bar-chart rect.bar")) == 22

    driver.get(search_url(base))
    assert PLAN_CODE in _texts(driver, "table.document-list td.code a")
    shots.append(_screenshot(driver, shots_dir, "van-ban-search.png"))
    return shots


def _driver():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900"):
        options.add_argument(arg)
    return webdriver.Chrome(service=Service(executable_path="/usr/bin/chromedriver"), options=options)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(f"usage: {sys.argv[0]} BASE_URL SHOTS_DIR")
    driver = _driver()
    try:
        check_documents(driver, sys.argv[1])
        for path in check_ranking(driver, sys.argv[1], sys.argv[2]):
            print(path)
    finally:
        driver.quit()
