-- A name is looked up by its spaceless form (indexed since 002) and then compared in full: the
-- spaced form's own index cost a B-tree write for every name of every added or renamed entry
-- (8,300 in a three-year SDN catch-up, ~40 ms of its commit) and served nothing the other cannot.
DROP INDEX entity_names_normalized;
