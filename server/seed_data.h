// The Đồng Tháp seed data (data/*.json), compiled into the server so that a
// fresh data directory is filled without reading any file at run time.
#ifndef FIELDSYNC_SERVER_SEED_DATA_H_
#define FIELDSYNC_SERVER_SEED_DATA_H_

#include <string_view>

namespace fieldsync::server {

// data/catalogue.json: 147 catalogue entries with their sectors.
std::string_view EmbeddedCatalogueJson();

// data/admin_areas.json: 78 areas of the 2021 hierarchy.
std::string_view EmbeddedAreasJson();

// data/field_reports_sadec.json: 33 Sa Đéc field reports (57 figures) from
// the city's 2021 report.
std::string_view EmbeddedFieldReportsJson();

}  // namespace fieldsync::server

#endif  // FIELDSYNC_SERVER_SEED_DATA_H_
