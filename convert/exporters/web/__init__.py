"""The web family: `html` pages and `pdf` briefings, two thin peers over the same pages.

`pages` fills the Jinja2 templates, `markup` renders the model as escaped HTML, `fetch` is the
only way WeasyPrint may load anything. Nothing is imported here, so `html` never loads the PDF
machinery and the reverse.
"""
