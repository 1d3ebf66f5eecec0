"""Understanding and answering: the command registry and parser, the neutral ``Reply``,
cards, answers and the plain-text renderer. Pure: no I/O, no chat SDK.
"""
