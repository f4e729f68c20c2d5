"""OCR path: page images -> the shared table model (extractors.model).

Entry points: `ocr.pdf.ocr_pdf_pages` (scanned PDF pages, called by the PDF extractor) and
`ocr.image.extract_image` (image files). One page goes through `ocr.page.ocr_image`:

    render.py      PDF page -> image at the scan's own resolution (150-300 dpi)
    preprocess.py  red seals out, denoise, flatten background, deskew, grey seals found
    orient.py      0/90/180/270 from text-line shape and PP-OCR's line-direction classifier
    grid.py        ruling lines -> lattice -> cells with row/col spans
    crops.py       the pieces of text in a cell or on a line, cropped for the recogniser
    engine.py      PP-OCR det/rec/cls ONNX models shipped in the rapidocr wheel, on onnxruntime
    layout.py      text outside ruled tables -> paragraphs and unruled tables
    prepare.py     the clean-up chained for one page, and the map back to the page as given
    trust.py       when a reading is doubted (confidence policies)
    page.py        the steps above for one page -> Paragraph and Table blocks

Recognition confidence: a cell's is the least probability of its characters, capped where a number
read twice disagrees, or where a grey seal covers it. The models load once per process
(`engine.load_engine`, functools.cache); nothing is ever downloaded.
"""
