"""Every write to the registry, one function per state change.

Split by area: `pesantren` (pesantren, cooperatives, enterprises, pesantren
accounts), `people` (people, consents, NIK reveal, export and erasure),
`products` (products, photos, legality documents, curation) and `imports`
(bulk imports that validate a whole file and commit all or nothing).
"""
