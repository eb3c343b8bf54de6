"""The office's verifier page in Debian's headless chromium: a genuine link read from the printed
report is 有效 with the record's details, a changed one 无效 with the reason, a signer the
office does not list 未登记的密钥, and the page asks no server for anything."""

from __future__ import annotations

import json
import random
from datetime import datetime
from pathlib import Path
from typing import Any

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from inspect_tui.core.qr_link import URL41, link, plain_payload
from inspect_tui.core.qr_payload import trusted_from_allowed_signers
from inspect_tui.core.report_verify import Reason, check_record_qr
from inspect_tui.core.sshsig import parse_allowed_signers
from inspect_tui.demo import DEMO_ID
from tests.export.conftest import PASS, needs, run
from tests.verifier.conftest import Office, needs_chromium

pytestmark = [needs_chromium, needs("pdftoppm", "poppler-utils")]


def printed_links(office: Office, tmp_path: Path) -> list[str]:
    """The record QR codes of the report's first page of records, as a camera reads them:
    rendered from report.pdf (pdftoppm, 150 dpi) and decoded by zxing-cpp."""
    from inspect_tui.export.qr_scan import scan_image

    for page in range(2, 8):
        r = run("pdftoppm", "-r", "150", "-png", "-f", page, "-l", page,
                office.report / "report.pdf", tmp_path / f"p{page}")
        assert r.returncode == 0, r.stderr
        (image,) = tmp_path.glob(f"p{page}-*.png")
        texts = [t for t in scan_image(image.read_bytes()).texts if "/V/IT" in t]
        if texts:
            return texts
    raise AssertionError("no record QR code on pages 2-7 of report.pdf")


def results(browser: Any, count: int = 1) -> list[Any]:
    WebDriverWait(browser, 20).until(
        lambda d: len(d.find_elements(By.CSS_SELECTOR, "#results .result")) >= count)
    return browser.find_elements(By.CSS_SELECTOR, "#results .result")


def field(card: Any, name: str) -> str:
    return str(card.find_element(By.CSS_SELECTOR, f".f-{name}").text)


def requests_made(browser: Any) -> list[str]:
    """Every URL chromium asked for since the log was last read (CDP Network events)."""
    urls = []
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def tampered(text: str) -> str:
    """One symbol of the signed body changed (to a smaller value: still well-formed), in the
    middle of the body where score and time are."""
    head, body = text[:text.rindex(":") + 1], text[text.rindex(":") + 1:]
    i = len(body) // 2 - (len(body) // 2) % 3  # the lowest symbol of a group
    symbol = body[i]
    return head + body[:i] + ("1" if symbol == "0" else "0") + body[i + 1:]


def test_a_genuine_link_from_the_printed_report_is_valid(office: Office, browser: Any,
                                                         tmp_path: Path) -> None:
    text = printed_links(office, tmp_path)[0]
    assert text.startswith(office.server.base)  # the camera app opens it as it is
    record_id = plain_payload(text).split(":")[1]
    (rec,) = [r for r in office.records() if r["record_id"] == record_id]
    requests_made(browser)  # forget earlier requests
    office.server.requests.clear()
    browser.get(text)
    (card,) = results(browser)
    assert card.get_attribute("data-status") == "valid"
    assert "有效" in card.find_element(By.CSS_SELECTOR, ".badge").text
    assert field(card, "record_id") == record_id
    assert field(card, "signer") == "张组长"
    # names from the report the page was built with, beside the signed IDs
    title = json.loads((office.report / "report.json").read_bytes())["title"]
    assert field(card, "inspection") == title
    assert field(card, "site") == f"{rec['site']}（{rec['site_id']}）"
    assert field(card, "criterion") == f"{rec['criterion_id']} {rec['title']}"
    assert field(card, "score") == f"{rec['score']:g} / {rec['max']:g}"
    assert field(card, "time") == datetime.fromtimestamp(rec["time"]).strftime("%Y-%m-%d %H:%M")
    assert field(card, "rules") == "inspect-tui/scoring-2"
    # No request but the page itself: to the server, and as chromium logged them.
    assert [url.upper() for url in requests_made(browser)] == [text.upper()]
    assert len(office.server.requests) == 1 and office.server.requests[0].endswith(
        text.rsplit("/", 1)[1])
    shot = tmp_path / "valid.png"
    browser.save_screenshot(str(shot))
    assert 5_000 < shot.stat().st_size <= 150_000


def test_a_changed_link_is_invalid_with_the_reason(office: Office, browser: Any,
                                                   tmp_path: Path) -> None:
    text = tampered(printed_links(office, tmp_path)[0])
    browser.get(text)
    (card,) = results(browser)
    assert card.get_attribute("data-status") == "invalid"
    assert "无效" in card.find_element(By.CSS_SELECTOR, ".badge").text
    assert "签名不符" in field(card, "reason")  # the message verify gives, word for word
    assert not card.find_elements(By.CSS_SELECTOR, ".f-score")  # nothing of it is shown
    browser.save_screenshot(str(tmp_path / "invalid.png"))
    assert (tmp_path / "invalid.png").stat().st_size <= 150_000


def test_a_signer_the_office_does_not_list_is_unknown(office: Office, browser: Any) -> None:
    rec = next(r for r in office.records(office.stranger_report) if r["score"] is not None)
    browser.get(link(office.server.base, rec["qr"]))
    (card,) = results(browser)
    assert card.get_attribute("data-status") == "unknown"
    assert "未登记的密钥" in card.find_element(By.CSS_SELECTOR, ".badge").text
    assert "密钥编号" in field(card, "reason")


def test_opened_from_a_file_it_works_offline(office: Office, browser: Any) -> None:
    rec = next(r for r in office.records() if r["score"] is not None)
    payload = link(office.server.base, rec["qr"]).removeprefix(office.server.base)
    requests_made(browser)
    page = office.page.as_uri()
    browser.get(f"{page}#{payload}")
    (card,) = results(browser)
    assert card.get_attribute("data-status") == "valid"
    assert field(card, "record_id") == rec["record_id"]
    assert requests_made(browser) == [f"{page}#{payload}".split("#")[0]]


def test_a_clerk_checks_several_records_one_after_another(office: Office,
                                                          browser: Any) -> None:
    """Plain IT2 texts (Base45, as a scanner app shows them), a link and a changed text,
    pasted one after another: the newest result first, each with its own verdict."""
    browser.get(office.page.as_uri())
    recs = [r for r in office.records() if r["score"] is not None][:2]
    texts = [recs[0]["qr"], link(office.server.base, recs[1]["qr"]), tampered(recs[0]["qr"])]
    box = browser.find_element(By.ID, "paste")
    for n, text in enumerate(texts, start=1):
        box.clear()
        box.send_keys(text)
        browser.find_element(By.ID, "check").click()
        results(browser, n)
    cards = results(browser, 3)
    assert [c.get_attribute("data-status") for c in cards] == ["invalid", "valid", "valid"]
    assert [field(c, "record_id") for c in cards[1:]] == [recs[1]["record_id"],
                                                        recs[0]["record_id"]]
    browser.find_element(By.ID, "lang").click()  # English available (the list is redrawn)
    badges = [c.find_element(By.CSS_SELECTOR, ".badge").text for c in results(browser, 3)]
    assert ["INVALID" in badges[0], "VALID" in badges[1]] == [True, True]
    assert browser.find_element(By.ID, "scan").text == "Scan with the camera"


def _python_reason(text: str, office: Office) -> str:
    signers = parse_allowed_signers(office.allowed_signers.read_text("utf-8"), "allowed")
    return check_record_qr(text, trusted_from_allowed_signers(signers), None,
                           source="QR").reason.value


_JS_REASON = {"valid": "valid", "qr.unknown_key": "unknown_key",
              "qr.bad_signature": "bad_signature", "qr.record_id_mismatch": "altered_field"}


def test_the_page_decides_every_text_as_verify_does(office: Office, browser: Any) -> None:
    """Genuine, changed, cut and foreign texts, plain and as links: the page's verdict is the
    one `inspect-tui verify` gives (same reason), text by text."""
    rng = random.Random(14)
    recs = office.records()[:6] + office.records(office.stranger_report)[:2]
    texts = []
    for rec in recs:
        as_link = link(office.server.base, rec["qr"])
        texts += [rec["qr"], as_link, tampered(rec["qr"]), tampered(as_link),
                  rec["qr"][:-3], as_link.lower()]
        i = rng.randrange(4, len(as_link))  # any one symbol of the link changed
        texts.append(as_link[:i] + rng.choice(URL41) + as_link[i + 1:])
    texts += ["IT3:R-00000-00000:AAA", "HELLO", "HTTPS://X.CN/V/", "IT2:" + "A" * 1200]
    browser.get(office.page.as_uri())
    verdicts = browser.execute_async_script("""
        const done = arguments[arguments.length - 1];
        Promise.all(arguments[0].map((t) => window.inspectVerifier.check(t)))
          .then((all) => done(all.map((v) => v.status === "valid" ? "valid" : v.key)));
    """, texts)
    for text, verdict in zip(texts, verdicts, strict=True):
        expected = _python_reason(text, office)
        assert _JS_REASON.get(verdict, Reason.MALFORMED.value) == expected, (text, verdict)
    assert {"valid", "qr.bad_signature", "qr.unknown_key", "qr.malformed"} <= set(verdicts)


def test_a_record_scored_again_is_not_named_after_the_older_report(office: Office,
                                                                    browser: Any,
                                                                    tmp_path: Path) -> None:
    """The page names a record only when the payload signs that very record: re-scored
    after the report the page holds, it is still 有效 but shown with its IDs and a note."""
    import shutil

    from tests.json_cli import cli

    rec = next(r for r in office.records() if r["score"] and r["max"] > 1)
    ws = shutil.copytree(office.root / "ws", tmp_path / "ws",
                         ignore=shutil.ignore_patterns(".lock"))
    r = cli("-w", ws, "record", "set", "--site", rec["site"], "--criterion",
            rec["criterion_id"], "--points", "0", "--reason", "复核后改分")
    assert r.returncode == 0, r.stdout + r.stderr
    env = {"INSPECT_TUI_KEYS": str(office.keys), "INSPECT_TUI_PASSPHRASE": PASS}
    r = cli("-w", ws, "export", DEMO_ID, "--key", "张组长", "--format", "json", "--out",
            tmp_path / "out", env=env)
    assert r.returncode == 0, r.stderr
    (newer,) = (tmp_path / "out").iterdir()
    r = cli("verifier", "build", "--trusted", office.allowed_signers, "--report", newer,
            "--out", tmp_path / "page")
    assert r.returncode == 0, r.stderr
    payload = link(office.server.base, rec["qr"]).removeprefix(office.server.base)
    browser.get(f"{(tmp_path / 'page' / 'index.html').as_uri()}#{payload}")
    (card,) = results(browser)
    assert card.get_attribute("data-status") == "valid"
    assert "重新评分" in card.find_element(By.CSS_SELECTOR, ".other").text
    assert field(card, "site") == rec["site_id"] and field(card, "criterion") == rec[
        "criterion_id"]
    assert field(card, "inspection") == "二维码未载明（请对照报告封面）"
