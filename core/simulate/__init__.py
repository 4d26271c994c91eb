"""Ratio simulator and optimiser (issue 14): what a ratio table would mean before anything is
drawn or saved. One concept per module:

- frames: stratum sizes and the plans' overlap structure, once per data version
- quotas: ratio tables and the draw's quota rule
- visits: expected visits after merging in coordinated mode
- capacity: each department's capacity (the assignment package's, or a default cap)
- discovery: past discovery rates per risk tier
- rules: the class rules
- scenario: load a campaign's context, evaluate a table, compare two
- optimise: the table that maximises expected discoveries under constraints
- ratios_file: read a table from CSV or JSON
- proposals: save a table as a proposal, list proposals, adopt one
"""
