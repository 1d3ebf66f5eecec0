"""Understanding and answering: the command registry and parser, the neutral ``Reply``,
cards, answers and the plain-text renderer. Pure: no I/O, no chat SDK.

Answering flows one way, and each module imports only those before it:

1. read: ``_registry`` and ``_parser`` (a command's grammar), ``_vocabulary``,
   ``_figures`` (the figures a member types: their pay, a band quoted back) and
   ``_understand`` (a sentence's words, the member's own years and pay), ``_memory``
   (what the conversation remembers of the member), ``_search`` and ``_derived``
   (what the catalogue holds, indexed once per catalogue);
2. decide: ``_decide`` (which role a command is about; what a sentence asks, as a
   ``Kind`` and a ``Command``);
3. compose: ``_reply`` (the neutral blocks), ``_cards`` (one card per role and kind),
   ``_narrow`` (what was asked first), ``_compose`` (catalogue, help, pay by level
   or years), ``_focus`` (a question in words: the answer as the first line, the
   member's figure placed against the band, other roles as context), ``_ask`` (a
   sentence's answer), and on top ``_answer``, which dispatches a command, or a
   sentence, to them;
4. render: ``_render_plain`` (and each adapter's renderer, outside the core).
"""
