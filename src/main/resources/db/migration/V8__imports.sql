-- Imports of existing likes (dev.likes.imports, docs/import.md). An import is named, and reads its
-- source in batches of a fixed size (numbered from 0, in the source's order); like_import_batches
-- records each batch done, in the same statement that loads its likes, so an import killed half way
-- goes on with the batches it had not finished, and one run to its end twice loads nothing the
-- second time. Batches may load side by side (each is one statement in key order, as clicks are).
-- like_import_items records the items each import changed, for the drift check that ends a run.
-- (On Citus these stay on the coordinator: the import is not offered there.)
CREATE TABLE like_imports (
    name       varchar(128) COLLATE "C" NOT NULL,
    source     text NOT NULL,
    batch_size integer NOT NULL CHECK (batch_size > 0),
    started_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT like_imports_pkey PRIMARY KEY (name)
);

CREATE TABLE like_import_batches (
    name    varchar(128) COLLATE "C" NOT NULL REFERENCES like_imports ON DELETE CASCADE,
    batch   bigint NOT NULL,
    rows    integer NOT NULL,
    loaded  integer NOT NULL,
    barred  integer NOT NULL,
    done_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT like_import_batches_pkey PRIMARY KEY (name, batch)
);

CREATE TABLE like_import_items (
    name    varchar(128) COLLATE "C" NOT NULL,
    item_id varchar(64) COLLATE "C" NOT NULL,
    CONSTRAINT like_import_items_pkey PRIMARY KEY (name, item_id)
);
