"""Evidence packs: PDFs of a council's records for a period as they stood on an "as at" date,
built by a document job (`builder`, `content`), requested and shared through `services`, and
downloaded after a recent password check (`confirmation`, `download`)."""
