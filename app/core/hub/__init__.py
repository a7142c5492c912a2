"""The Hugging Face Hub: access and errors, resumable downloads, search, the token store."""
