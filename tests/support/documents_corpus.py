"""Documents made by the tests, for the document collections: PDFs written byte by byte (text in
Helvetica, German letters through WinAnsiEncoding), Word files made with python-docx, an encrypted PDF,
a PDF without text (as a scan has), a damaged one, and a small corpus of German and English files."""

from __future__ import annotations

from pathlib import Path


def _pdf_string(text: str) -> bytes:
    raw = text.encode("cp1252")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def write_pdf(path: Path, pages: list[list[str]]) -> Path:
    """A PDF with one page per item of ``pages``, each a list of lines (an empty list: a page without text,
    as a scanned page is to a text reader)."""
    objects: list[bytes] = []
    page_ids = [3 + 2 * index for index in range(len(pages))]
    font_id = 3 + 2 * len(pages)
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % pid for pid in page_ids)
                   + b"] /Count %d >>" % len(pages))
    for page_id, lines in zip(page_ids, pages):
        stream = b"BT /F1 11 Tf 50 780 Td 14 TL " + b" ".join(_pdf_string(line) + b" '" for line in lines) + b" ET"
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 %d 0 R >> >> "
                       b"/Contents %d 0 R >>" % (font_id, page_id + 1))
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def write_encrypted_pdf(path: Path, lines: list[str], password: str = "geheim") -> Path:
    from pypdf import PdfReader, PdfWriter

    plain = write_pdf(path.with_suffix(".plain.pdf"), [lines])
    writer = PdfWriter(clone_from=PdfReader(plain))
    writer.encrypt(user_password=password, algorithm="RC4-128")
    with path.open("wb") as handle:
        writer.write(handle)
    plain.unlink()
    return path


def write_docx(path: Path, blocks: list[tuple[str, str]]) -> Path:
    """A Word file of (kind, text) blocks: kind "h1"/"h2" for headings, "p" for paragraphs."""
    import docx

    document = docx.Document()
    for kind, text in blocks:
        if kind.startswith("h"):
            document.add_heading(text, level=int(kind[1:]))
        else:
            document.add_paragraph(text)
    document.save(str(path))
    return path


def write_corpus(folder: Path) -> dict[str, Path]:
    """German and English documents of every kind, and three that cannot be read."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sub").mkdir(exist_ok=True)
    files = {
        "urlaub_pdf": write_pdf(folder / "Urlaubsregelung.pdf", [
            ["Urlaubsregelung der Firma", "Allgemeines zur Arbeitszeit und zu Pausen."],
            ["Der Urlaubsantrag muss zwei Wochen vorher gestellt werden.",
             "Über die Genehmigung entscheidet die Teamleitung.", "Resturlaub verfällt am 31. März."],
        ]),
        "handbook_docx": write_docx(folder / "sub" / "Handbook.docx", [
            ("h1", "Employee handbook"), ("p", "Welcome to the company."),
            ("h2", "Travel expenses"), ("p", "Receipts for travel expenses are submitted within 30 days."),
            ("h2", "Kündigungsfrist"), ("p", "Die Kündigungsfrist beträgt drei Monate zum Quartalsende."),
        ]),
        "notes_md": folder / "notes.md",
        "faq_html": folder / "faq.html",
        "plain_txt": folder / "Mängelliste.txt",
        "broken_pdf": folder / "kaputt.pdf",
        "scan_pdf": write_pdf(folder / "scan.pdf", [[], []]),
        "secret_pdf": write_encrypted_pdf(folder / "geheim.pdf", ["Gehälter der Geschäftsführung"]),
    }
    files["notes_md"].write_text("# Server room\n\nThe server room key is kept at the reception desk.\n\n"
                                 "## Backups\n\nBackups run every night at 2 am and are kept for 90 days.\n",
                                 encoding="utf-8")
    files["faq_html"].write_text("<html><head><style>p {color: red}</style><script>var secret = 1;</script></head>"
                                 "<body><h1>Häufige Fragen</h1><p>Das WLAN-Passwort steht auf der Rückseite des "
                                 "Routers.</p><h2>Drucker</h2><p>Der Drucker im zweiten Stock druckt auch "
                                 "farbig.</p></body></html>", encoding="utf-8")
    files["plain_txt"].write_text("Mängel an der Heizung im Büro 3.\n\nDie Tür zum Lager klemmt.\n",
                                  encoding="cp1252")
    files["broken_pdf"].write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 9 0 R >>\nthis is not a pdf")
    return files
