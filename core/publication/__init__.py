"""一公开: public notices, their versions, the public views and the publication package.

One job per module:
    public_fields  the allow-lists every public byte passes through, canonical JSON
    draws          the committed draws as publication reads them (current_draws, frames)
    notices        the plan notices built from the registries
    results        the result notices (the results issue owns these bodies)
    deadlines      the 20-working-day result deadlines (the results issue owns these bodies)
    versions       storing notices as immutable, audited versions (the one writer)
    public_views   what the public pages read: plans, drawn enterprises, results
    package        the files of a year's public package, built in memory
    folder         writing a package atomically (temporary folder, verify, manifest, rename)

`core.publish` re-exports the old names for callers that have not moved yet."""
