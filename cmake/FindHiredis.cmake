# Finds hiredis as the imported target hiredis::hiredis: through its CMake package where one
# is installed (vcpkg, hiredis >= 1.0), else through pkg-config (Debian's hiredis 0.14).
find_package(hiredis CONFIG QUIET)
if(TARGET hiredis::hiredis)
    return()
endif()

pkg_check_modules(HIREDIS REQUIRED IMPORTED_TARGET hiredis)
add_library(hiredis::hiredis ALIAS PkgConfig::HIREDIS)
