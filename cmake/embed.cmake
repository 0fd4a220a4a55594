# embed.cmake — writes a C file holding a file's bytes as an array, so the
# binary serves openapi.yaml/json without reading anything at run time.
#   cmake -DIN=file -DOUT=file.c -DNAME=symbol -P embed.cmake
file(READ "${IN}" _hex HEX)
string(LENGTH "${_hex}" _len)
math(EXPR _bytes "${_len} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," _arr "${_hex}")
string(REGEX REPLACE "((0x..,){16})" "\\1\n  " _arr "${_arr}")
file(WRITE "${OUT}" "/* generated from ${IN} by cmake/embed.cmake; do not edit */\n#include <stddef.h>\nconst unsigned char ${NAME}[] = {\n  ${_arr}0x00};\nconst size_t ${NAME}_len = ${_bytes};\n")
