-- Dimensions of the taxonomy and the gazetteer, synced from include/data/*.yaml.
CREATE TABLE ref.category_group (
    code        text PRIMARY KEY,
    label_en    text NOT NULL,
    label_ru    text NOT NULL,
    counted     boolean NOT NULL,
    sort_order  integer NOT NULL
);
COMMENT ON TABLE ref.category_group IS 'Groups of the monitoring taxonomy; the headline counts of the monthly overview are per group.';
COMMENT ON COLUMN ref.category_group.code IS 'Stable group code, e.g. journalist_media_rights.';
COMMENT ON COLUMN ref.category_group.label_en IS 'English label as published.';
COMMENT ON COLUMN ref.category_group.label_ru IS 'Russian label as published.';
COMMENT ON COLUMN ref.category_group.counted IS 'False for groups that are narrated but never counted (context).';
COMMENT ON COLUMN ref.category_group.sort_order IS 'Order of the group in the overview.';

CREATE TABLE ref.category (
    code        text PRIMARY KEY,
    group_code  text NOT NULL REFERENCES ref.category_group (code),
    label_en    text NOT NULL,
    label_ru    text NOT NULL,
    sort_order  integer NOT NULL
);
COMMENT ON TABLE ref.category IS 'Categories of the monitoring taxonomy; every report has exactly one.';
COMMENT ON COLUMN ref.category.code IS 'Stable category code, e.g. refusal_restriction_information.';
COMMENT ON COLUMN ref.category.group_code IS 'The group the category rolls up into.';
COMMENT ON COLUMN ref.category.label_en IS 'English label.';
COMMENT ON COLUMN ref.category.label_ru IS 'Russian label.';
COMMENT ON COLUMN ref.category.sort_order IS 'Order of the category within the taxonomy file.';

CREATE TABLE ref.region (
    code        text PRIMARY KEY,
    kind        text NOT NULL,
    name_en     text NOT NULL,
    name_ru     text NOT NULL,
    name_kk     text,
    iso_3166_2  text
);
COMMENT ON TABLE ref.region IS 'First-level divisions of Kazakhstan: regions, cities of republican significance, Baikonur.';
COMMENT ON COLUMN ref.region.code IS 'Stable region code, e.g. kostanay.';
COMMENT ON COLUMN ref.region.kind IS 'region, city_of_republican_significance or special_status.';
COMMENT ON COLUMN ref.region.name_en IS 'English name.';
COMMENT ON COLUMN ref.region.name_ru IS 'Russian name.';
COMMENT ON COLUMN ref.region.name_kk IS 'Kazakh name (Cyrillic).';
COMMENT ON COLUMN ref.region.iso_3166_2 IS 'ISO 3166-2 code where known.';

CREATE TABLE ref.locality (
    code         text PRIMARY KEY,
    region_code  text NOT NULL REFERENCES ref.region (code),
    name_en      text NOT NULL,
    name_ru      text NOT NULL,
    name_kk      text,
    is_centre    boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE ref.locality IS 'Cities and towns of the gazetteer; a locality implies its region. Cities of republican significance are regions, not localities.';
COMMENT ON COLUMN ref.locality.code IS 'Stable locality code, e.g. kostanay_city.';
COMMENT ON COLUMN ref.locality.region_code IS 'Region the locality belongs to.';
COMMENT ON COLUMN ref.locality.name_en IS 'English name.';
COMMENT ON COLUMN ref.locality.name_ru IS 'Russian name.';
COMMENT ON COLUMN ref.locality.name_kk IS 'Kazakh name (Cyrillic).';
COMMENT ON COLUMN ref.locality.is_centre IS 'True for the administrative centre of its region.';
