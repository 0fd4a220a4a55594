/* outlets.h — private to the extract module: well-known outlet names.
 * Returned strings are static; NULL when the outlet is not in the table. */
#ifndef CD_EXTRACT_OUTLETS_H
#define CD_EXTRACT_OUTLETS_H

#include <stddef.h>

/* Host "en.yna.co.kr" (lowercase or not, no "www." needed) -> "Yonhap". */
const char *cd_outlet_by_host(const char *host, size_t n);
/* Credit / signature text "Associated Press" -> "AP", "KCNA" -> "KCNA". */
const char *cd_outlet_by_alias(const char *s, size_t n);

#endif
