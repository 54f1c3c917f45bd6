// Which catalogue models a ListModels filter keeps: one rule for the
// server's index and for the tablet's offline queries, so a search gives the
// same models with or without a link.
#ifndef FIELDSYNC_SYNC_MODEL_FILTER_H_
#define FIELDSYNC_SYNC_MODEL_FILTER_H_

#include <string>

#include "fieldsync/v1/catalogue.pb.h"
#include "fieldsync/v1/catalogue_service.pb.h"
#include "sync/area_tree.h"

namespace fieldsync {

// Every text a search looks in, joined so one phrase search covers them.
std::string ModelSearchText(const v1::Model& m);

// True if `m` passes the level, status, sector and area filters of
// `request` (the search text is matched separately, on folded text).
bool ModelPassesFilters(const v1::Model& m,
                        const v1::ListModelsRequest& request,
                        const AreaTree& areas);

}  // namespace fieldsync

#endif  // FIELDSYNC_SYNC_MODEL_FILTER_H_
