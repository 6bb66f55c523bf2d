"""The layer every format stands on: what an article says, decided once for every format."""
