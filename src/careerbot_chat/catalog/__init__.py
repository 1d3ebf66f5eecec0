"""Content: rupee amounts, the role file format (one set of frozen classes that pydantic
validates and answering reads), their checks, the YAML loader and the JSON Schema, and
how one value reads in words (``_show``: a band, a span of years, a premium).

The floor below ``chart`` and ``answering``: it knows data and how a single value is
written, never how an answer or a picture is laid out.
"""
