"""Standard tools, no inspect-tui: ssh-keygen checks report.json, pdfsig the PDF, pdftotext reads
the Chinese back, pdffonts shows the font embedded."""

from __future__ import annotations

from pathlib import Path

from tests.export.conftest import DemoExport, Signing, needs, run


@needs("ssh-keygen", "openssh-client")
def test_ssh_keygen_accepts_the_signature(demo_export: DemoExport, signing: Signing) -> None:
    folder = demo_export.folder
    with open(folder / "report.json", "rb") as data:
        r = run("ssh-keygen", "-Y", "verify", "-f", signing.allowed_signers, "-I", "张组长",
                "-n", "inspect-report", "-s", folder / "report.json.sig", stdin=data)
    assert r.returncode == 0, r.stderr
    assert 'Good "inspect-report" signature for 张组长' in r.stdout + r.stderr


@needs("ssh-keygen", "openssh-client")
def test_ssh_keygen_rejects_a_changed_report(demo_export: DemoExport, signing: Signing,
                                             tmp_path: Path) -> None:
    changed = tmp_path / "report.json"
    changed.write_bytes(demo_export.folder.joinpath("report.json").read_bytes().replace(
        b'"grade":"', b'"grade":"X', 1))
    with open(changed, "rb") as data:
        r = run("ssh-keygen", "-Y", "verify", "-f", signing.allowed_signers, "-I", "张组长",
                "-n", "inspect-report", "-s", demo_export.folder / "report.json.sig", stdin=data)
    assert r.returncode != 0


@needs("pdfsig", "poppler-utils")
def test_pdfsig_valid_then_digest_mismatch(demo_export: DemoExport, tmp_path: Path) -> None:
    pdf = demo_export.folder / "report.pdf"
    r = run("pdfsig", pdf)
    assert "Signature Validation: Signature is Valid." in r.stdout, r.stdout + r.stderr
    assert "Total document signed" in r.stdout and "张组长" in r.stdout
    flipped = tmp_path / "flipped.pdf"
    data = bytearray(pdf.read_bytes())
    data[len(data) // 2] ^= 0x01  # inside the first signed byte range
    flipped.write_bytes(bytes(data))
    assert "Signature Validation: Digest Mismatch." in run("pdfsig", flipped).stdout


@needs("pdftotext", "poppler-utils")
def test_pdftotext_gives_the_chinese_back(demo_export: DemoExport) -> None:
    pdf = demo_export.folder / "report.pdf"
    pages = run("pdftotext", pdf, "-").stdout.split("\f")[:-1]
    report = demo_export.result.report
    first_site = next(n for n, page in enumerate(pages) if report.sites[0].site_id in page)
    for text in ("兰溪市“七五”普法总结验收（演示）", "一、总体评价", "二、存在问题",
                 "三、下一步建议", "马涧镇", "良好", "未检查"):
        assert text in "".join(pages[:first_site]), text  # the cover, with its summary
    assert "分项得分" in pages[first_site] and "计分说明" in pages[first_site]
    # the fingerprint and the digests: once, in the appendix at the end, on no other page
    fingerprint = report.signer.fingerprint
    assert [n for n, page in enumerate(pages) if fingerprint in page] == [len(pages) - 1]
    assert report.history.digest in pages[-1] and report.checklist.hash in pages[-1]
    assert not any(report.history.digest in page for page in pages[:-1])


@needs("pdffonts", "poppler-utils")
def test_only_an_embedded_subset_font(demo_export: DemoExport) -> None:
    rows = run("pdffonts", demo_export.folder / "report.pdf").stdout.splitlines()[2:]
    assert rows, "no fonts listed"
    for row in rows:  # name, type, encoding, emb, sub, uni, object
        assert row.split()[-5:-2] == ["yes", "yes", "yes"], row


def test_html_is_self_contained(demo_export: DemoExport) -> None:
    html = (demo_export.folder / "report.html").read_text("utf-8")
    report = demo_export.result.report
    scored = [r for _, r in report.records() if r.score is not None or r.not_applicable]
    assert 0 < len(scored) < sum(len(s.records) for s in report.sites)
    # QR codes as inline SVG, one per scored record and one for the report; no image files
    assert html.count("<svg") == html.count("data-qr=") == 1 + len(scored)
    assert "<img" not in html and "data:image" not in html
    assert "http://" not in html and "https://" not in html and "@media print" in html
    assert report.title in html and scored[0].qr in html
