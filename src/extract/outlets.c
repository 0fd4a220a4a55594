/* outlets.c — the small table of well-known news outlets: web hosts and
 * agency names mapped to one display name, so "sputnikglobe.com",
 * "Sputnik" and "SPUTNIK" all become the outlet "Sputnik" (extract module,
 * private; see outlets.h).
 *
 * This is data, not a rule for a particular file: an outlet missing here
 * still gets a sensible name from its host or from the text that named it.
 */
#include "outlets.h"

#include <string.h>

#include "util.h"

typedef struct outlet_host {
  const char *host; /* registrable domain, lowercase */
  const char *name;
} outlet_host;

typedef struct outlet_alias {
  const char *alias; /* as written in credits and signatures */
  const char *name;
} outlet_alias;

static const outlet_host k_hosts[] = {
    {"sputnikglobe.com", "Sputnik"},     {"sputniknews.com", "Sputnik"},
    {"sputnikportal.rs", "Sputnik"},     {"rt.com", "RT"},
    {"tass.com", "TASS"},                {"tass.ru", "TASS"},
    {"ria.ru", "RIA Novosti"},           {"interfax.ru", "Interfax"},
    {"interfax.com", "Interfax"},        {"kcna.kp", "KCNA"},
    {"kcnawatch.org", "KCNA Watch"},     {"rodong.rep.kp", "Rodong Sinmun"},
    {"naenara.com.kp", "Naenara"},       {"mfa.gov.kp", "DPRK Ministry of Foreign Affairs"},
    {"reuters.com", "Reuters"},          {"apnews.com", "AP"},
    {"afp.com", "AFP"},                  {"bbc.com", "BBC"},
    {"bbc.co.uk", "BBC"},                {"cnn.com", "CNN"},
    {"nytimes.com", "The New York Times"}, {"washingtonpost.com", "The Washington Post"},
    {"wsj.com", "The Wall Street Journal"}, {"theguardian.com", "The Guardian"},
    {"ft.com", "Financial Times"},       {"bloomberg.com", "Bloomberg"},
    {"aljazeera.com", "Al Jazeera"},     {"aljazeera.net", "Al Jazeera"},
    {"dw.com", "DW"},                    {"france24.com", "France 24"},
    {"euronews.com", "Euronews"},        {"xinhuanet.com", "Xinhua"},
    {"news.cn", "Xinhua"},               {"globaltimes.cn", "Global Times"},
    {"chinadaily.com.cn", "China Daily"}, {"cgtn.com", "CGTN"},
    {"scmp.com", "South China Morning Post"}, {"yna.co.kr", "Yonhap"},
    {"koreaherald.com", "The Korea Herald"}, {"koreatimes.co.kr", "The Korea Times"},
    {"koreajoongangdaily.joins.com", "Korea JoongAng Daily"}, {"nknews.org", "NK News"},
    {"dailynk.com", "Daily NK"},         {"38north.org", "38 North"},
    {"kyodonews.net", "Kyodo News"},     {"nhk.or.jp", "NHK"},
    {"japantimes.co.jp", "The Japan Times"}, {"presstv.ir", "Press TV"},
    {"irna.ir", "IRNA"},                 {"aa.com.tr", "Anadolu Agency"},
    {"upi.com", "UPI"},                  {"voanews.com", "VOA"},
    {"rfa.org", "RFA"},                  {"tvbrics.com", "TV BRICS"},
    {"foxnews.com", "Fox News"},         {"nbcnews.com", "NBC News"},
    {"cbsnews.com", "CBS News"},         {"abcnews.go.com", "ABC News"},
    {"politico.com", "Politico"},        {"axios.com", "Axios"},
    {"newsweek.com", "Newsweek"},        {"independent.co.uk", "The Independent"},
    {"telegraph.co.uk", "The Telegraph"}, {"lemonde.fr", "Le Monde"},
    {"spiegel.de", "Der Spiegel"},       {"elpais.com", "El País"},
};

static const outlet_alias k_aliases[] = {
    {"AP", "AP"},
    {"Associated Press", "AP"},
    {"The Associated Press", "AP"},
    {"Reuters", "Reuters"},
    {"Thomson Reuters", "Reuters"},
    {"AFP", "AFP"},
    {"Agence France-Presse", "AFP"},
    {"Agence France Presse", "AFP"},
    {"KCNA", "KCNA"},
    {"Korean Central News Agency", "KCNA"},
    {"KCNA Watch", "KCNA Watch"},
    {"TASS", "TASS"},
    {"ITAR-TASS", "TASS"},
    {"Sputnik", "Sputnik"},
    {"Sputnik News", "Sputnik"},
    {"RIA Novosti", "RIA Novosti"},
    {"RIA", "RIA Novosti"},
    {"Interfax", "Interfax"},
    {"RT", "RT"},
    {"Xinhua", "Xinhua"},
    {"Xinhua News Agency", "Xinhua"},
    {"Yonhap", "Yonhap"},
    {"Yonhap News Agency", "Yonhap"},
    {"Kyodo", "Kyodo News"},
    {"Kyodo News", "Kyodo News"},
    {"IRNA", "IRNA"},
    {"ANI", "ANI"},
    {"PTI", "PTI"},
    {"IANS", "IANS"},
    {"EFE", "EFE"},
    {"ANSA", "ANSA"},
    {"dpa", "dpa"},
    {"UPI", "UPI"},
    {"Bernama", "Bernama"},
    {"Anadolu", "Anadolu Agency"},
    {"Anadolu Agency", "Anadolu Agency"},
    {"BBC", "BBC"},
    {"CNN", "CNN"},
    {"Bloomberg", "Bloomberg"},
    {"Al Jazeera", "Al Jazeera"},
    {"Rodong Sinmun", "Rodong Sinmun"},
    {"Naenara", "Naenara"},
    {"Global Times", "Global Times"},
    {"NK News", "NK News"},
};

/* Case-insensitive ASCII equality of s[0..n) with a NUL-terminated z. */
static bool eq_ci_n(const char *s, size_t n, const char *z) {
  size_t zl = strlen(z);
  if (zl != n) return false;
  for (size_t i = 0; i < n; i++) {
    int a = (unsigned char)s[i], b = (unsigned char)z[i];
    if (a >= 'A' && a <= 'Z') a += 32;
    if (b >= 'A' && b <= 'Z') b += 32;
    if (a != b) return false;
  }
  return true;
}

const char *cd_outlet_by_host(const char *host, size_t n) {
  for (size_t i = 0; i < CD_ARRAY_LEN(k_hosts); i++) {
    size_t hl = strlen(k_hosts[i].host);
    /* The host itself or any subdomain of it (en.yna.co.kr). */
    if (n == hl && eq_ci_n(host, n, k_hosts[i].host)) return k_hosts[i].name;
    if (n > hl && host[n - hl - 1] == '.' && eq_ci_n(host + n - hl, hl, k_hosts[i].host))
      return k_hosts[i].name;
  }
  return NULL;
}

const char *cd_outlet_by_alias(const char *s, size_t n) {
  for (size_t i = 0; i < CD_ARRAY_LEN(k_aliases); i++)
    if (eq_ci_n(s, n, k_aliases[i].alias)) return k_aliases[i].name;
  return NULL;
}
