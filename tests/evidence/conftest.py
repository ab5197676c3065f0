"""The reader's tests run OCR on one thread: the suite shares its machine with other work."""

import os

os.environ.setdefault("EVIDENCE_OCR_THREADS", "1")
