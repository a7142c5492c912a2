"""Document collections for asking your own documents (RAG), on this computer: reading PDF, Word, text,
Markdown and HTML files, cutting them into chunks, and an SQLite full-text index over them."""
