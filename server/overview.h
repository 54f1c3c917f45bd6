// The catalogue's headline figures (MonitoringService.GetOverview): what the
// province's own report opens with, from the live catalogue, so a newcomer
// can hold one against the other.
#ifndef FIELDSYNC_SERVER_OVERVIEW_H_
#define FIELDSYNC_SERVER_OVERVIEW_H_

#include <string>

#include "fieldsync/v1/monitoring_service.pb.h"
#include "server/catalogue_index.h"

namespace fieldsync::server {

// Counts the entries of `index` that `visible` lets through (null: all):
// province-level per sector, district-level per owning district valid on
// `as_of` (YYYY-MM-DD), every entry per status. Sectors and districts with
// no entry are listed with 0, so the lines match the report's tables.
v1::GetOverviewResponse Overview(const CatalogueIndex& index,
                                 const ModelVisibility& visible,
                                 const std::string& as_of);

}  // namespace fieldsync::server

#endif  // FIELDSYNC_SERVER_OVERVIEW_H_
