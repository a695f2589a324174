"""readiness: will this office keep working when its internet line fails? (kept free of imports)"""
