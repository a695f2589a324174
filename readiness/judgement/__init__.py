"""Judgement: from findings to what the owner reads about them.

``engine`` runs the rules and is the one place a verdict is made; ``scoring`` turns the
findings into points, caps and a level; ``cost`` prices downtime; ``need`` and ``plan`` say
what continuity the business needs and the actions that reach it; ``strength`` and
``dependence`` weigh evidence and read what the office depends on; ``prefill`` suggests
answers from facts; ``progress`` says how far the audit has come. Pure: no I/O, no Textual.
Kept empty so that importing one of them (the rules import ``dependence``) loads no other.
"""
