-- referenceLoadJob keeps the fields of the last line naming a reference. With partitions, lines
-- of one load are written in no particular order: a reference remembers which load (job instance)
-- and which line of its file last set it, and an earlier line of the same load no longer
-- replaces a later one. Another load replaces it as before.
ALTER TABLE reference ADD COLUMN load_instance_id BIGINT;
ALTER TABLE reference ADD COLUMN load_line BIGINT;
