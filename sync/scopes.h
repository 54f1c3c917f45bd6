// Which scopes a document belongs to: the replication sets that pulls read
// and that roles are granted (DESIGN.md "Scopes").
//
//   province             every document (province admins, auditors)
//   district/<id>        reports, proposals and models of that district
//   commune/<id>         reports and proposals of that commune
//   catalogue            the provincial catalogue: provincial models, areas,
//                        sectors (everyone reads it)
//   catalogue/<district> the district's models (its communes read them)
//   admin                devices: the server's own, never pulled
#ifndef FIELDSYNC_SYNC_SCOPES_H_
#define FIELDSYNC_SYNC_SCOPES_H_

#include <string>
#include <vector>

#include "fieldsync/v1/document.pb.h"
#include "sync/area_tree.h"

namespace fieldsync {

inline constexpr char kProvinceScope[] = "province";
inline constexpr char kCatalogueScope[] = "catalogue";
// Documents the server keeps to itself: devices, with their secret hashes.
// A pull never reads this scope, whatever scopes a caller holds (a
// development server lets a caller name any).
inline constexpr char kServerOnlyScope[] = "admin";

// The scopes of a report or proposal filed for `area_id`: the province's,
// and those of the area's district and commune.
std::vector<std::string> AreaScopes(std::string_view area_id,
                                    const AreaTree& areas);

// The scopes of `doc`, derived from its body and the area hierarchy.
std::vector<std::string> ScopesOf(const v1::Document& doc,
                                  const AreaTree& areas);

}  // namespace fieldsync

#endif  // FIELDSYNC_SYNC_SCOPES_H_
