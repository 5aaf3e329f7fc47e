-- Imports of existing likes (dev.likes.imports, docs/import.md). An import is named; like_imports
-- holds how far it has come in its source (position: the source rows consumed, in the source's
-- order) and moves in the same transaction as each batch's likes, so an import killed half way goes
-- on from its last committed batch and one run to its end twice loads nothing the second time.
-- like_import_items records the items each import changed, for the drift check that ends a run.
-- (On Citus these stay on the coordinator: the import is not offered there.)
CREATE TABLE like_imports (
    name       varchar(128) COLLATE "C" NOT NULL,
    source     text NOT NULL,
    position   bigint NOT NULL DEFAULT 0,
    loaded     bigint NOT NULL DEFAULT 0,
    barred     bigint NOT NULL DEFAULT 0,
    started_at timestamptz NOT NULL DEFAULT now(),
    moved_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT like_imports_pkey PRIMARY KEY (name)
);

CREATE TABLE like_import_items (
    name    varchar(128) COLLATE "C" NOT NULL,
    item_id varchar(64) COLLATE "C" NOT NULL,
    CONSTRAINT like_import_items_pkey PRIMARY KEY (name, item_id)
);
