// An appendix export as one self-contained HTML page that prints on A4
// landscape: UTF-8, lang="vi", a print stylesheet (`@page { size: A4
// landscape }`), one table per appendix under its printed heading lines,
// section rows as subheadings, and column headers repeated on every printed
// page (`thead { display: table-header-group }`). All text is escaped.
#ifndef FIELDSYNC_CLIENT_SDK_CLI_APPENDIX_HTML_H_
#define FIELDSYNC_CLIENT_SDK_CLI_APPENDIX_HTML_H_

#include <string>

#include "fieldsync/v1/monitoring_service.pb.h"

namespace fieldsync::cli {

std::string AppendixHtml(const v1::ExportAppendixResponse& appendix);

// `text` with &, <, >, " and ' escaped, line breaks as <br>.
std::string HtmlText(const std::string& text);

}  // namespace fieldsync::cli

#endif  // FIELDSYNC_CLIENT_SDK_CLI_APPENDIX_HTML_H_
