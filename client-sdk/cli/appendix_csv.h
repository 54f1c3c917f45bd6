// An appendix export as one CSV that Excel opens with Vietnamese intact:
// UTF-8 with a byte-order mark, CRLF line ends, every field quoted ("" for
// a quote inside), line breaks inside a cell kept inside its quotes (a bare LF,
// as Excel writes one).
//
// One header row, then one row per table row. Every table is in the same
// file: the first columns name the appendix (empty for models added since
// the report), the section numeral and the section's title; a summary
// table's rows leave the five detailed columns empty. The last column is
// the model's id, so a script can join rows with the catalogue.
#ifndef FIELDSYNC_CLIENT_SDK_CLI_APPENDIX_CSV_H_
#define FIELDSYNC_CLIENT_SDK_CLI_APPENDIX_CSV_H_

#include <string>

#include "fieldsync/v1/monitoring_service.pb.h"

namespace fieldsync::cli {

std::string AppendixCsv(const v1::ExportAppendixResponse& appendix);

}  // namespace fieldsync::cli

#endif  // FIELDSYNC_CLIENT_SDK_CLI_APPENDIX_CSV_H_
