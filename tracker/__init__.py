"""Regional Policy Tracker: content/ in, a static site out.

The pipeline runs one way, one module per stage:
load (files → YAML nodes) → validate (nodes → frozen model, or every problem)
→ render (model → page texts) → site (write, run MkDocs, swap site/).
"""
