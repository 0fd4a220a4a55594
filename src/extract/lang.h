/* lang.h — private to the extract module: a cheap language guess.
 * Writes an ISO 639-1 code ("en", "ru", ...) or "und" into out[4]. */
#ifndef CD_EXTRACT_LANG_H
#define CD_EXTRACT_LANG_H

#include <stddef.h>

void cd_lang_detect(const char *s, size_t n, char out[4]);

#endif
