# Builds the ChatQueue MSI: stages the executables and their runtime, lists the runtime as
# WiX components, then compiles installer/chatqueue.wxs.
#
#   cmake -DINPUTS=<msi-inputs-CONFIG.cmake> -P build-msi.cmake
#
# INPUTS is written by installer/CMakeLists.txt and sets TOOLSET ("wix" on Windows, "wixl"
# on Linux), the executables, the version and the tools. With wixl the Linux build's files
# stand in for the Windows ones, under the Windows names, to prove the WiX source valid;
# that package is not meant to be installed.
cmake_minimum_required(VERSION 3.25)

include("${INPUTS}")
include("${CMAKE_CURRENT_LIST_DIR}/runtime-wxi.cmake")

if(TOOLSET STREQUAL "wix")
    set(tools "${CANDLE}" "${LIGHT}" "${WINDEPLOYQT}")
    set(hint "the WiX Toolset v3 (it sets %WIX%) and Qt's windeployqt")
else()
    set(tools "${WIXL}" "${MSIINFO}")
    set(hint "Debian's wixl and msitools (.ci/install-deps installs them)")
endif()
foreach(tool IN LISTS tools)
    if(NOT EXISTS "${tool}")
        message(FATAL_ERROR "Building the MSI needs ${hint}; a tool is missing: '${tool}'")
    endif()
endforeach()

set(stage "${WORK_DIR}/stage")
set(include_dir "${WORK_DIR}/include")
file(REMOVE_RECURSE "${stage}" "${include_dir}" "${OUTPUT}")
file(MAKE_DIRECTORY "${stage}" "${include_dir}")

# The executables, under the names the WiX source gives them.
file(COPY_FILE "${APP_EXE}" "${stage}/chatqueue.exe")
file(COPY_FILE "${CLI_EXE}" "${stage}/chatq.exe")

if(TOOLSET STREQUAL "wix")
    # Imported DLLs the executables link (Qt, QCoro, QtKeychain, hiredis), the OpenSSL
    # libraries Qt's TLS plugin loads at run time from the same vcpkg folder, and the
    # MSVC runtime, deployed app-locally so that no redistributable is needed.
    set(openssl_dlls "")
    foreach(dll IN LISTS RUNTIME_DLLS)
        get_filename_component(dll_dir "${dll}" DIRECTORY)
        file(GLOB found "${dll_dir}/libssl-3*.dll" "${dll_dir}/libcrypto-3*.dll")
        list(APPEND openssl_dlls ${found})
    endforeach()
    list(REMOVE_DUPLICATES openssl_dlls)
    file(COPY ${RUNTIME_DLLS} ${openssl_dlls} ${SYSTEM_RUNTIME_LIBS} DESTINATION "${stage}")

    # windeployqt adds the Qt plugins (platform, styles, TLS, SQLite, image formats) and
    # Qt's own translations in the folders Qt expects.
    foreach(exe IN ITEMS chatqueue.exe chatq.exe)
        execute_process(
            COMMAND "${WINDEPLOYQT}" --dir "${stage}" --no-compiler-runtime
                    --no-opengl-sw --no-system-d3d-compiler "${stage}/${exe}"
            COMMAND_ERROR_IS_FATAL ANY)
    endforeach()
else()
    # Stand-ins for the Windows runtime: the Qt, QCoro, QtKeychain and hiredis libraries
    # the executables load, and a few Qt plugins in their subfolders, as on Windows.
    set(plugins "")
    foreach(plugin IN LISTS QT_PLUGINS)
        if(EXISTS "${QT_PLUGINS_DIR}/${plugin}")
            get_filename_component(plugin_dir "${plugin}" DIRECTORY)
            file(COPY "${QT_PLUGINS_DIR}/${plugin}" DESTINATION "${stage}/${plugin_dir}")
            list(APPEND plugins "${QT_PLUGINS_DIR}/${plugin}")
        endif()
    endforeach()

    file(GET_RUNTIME_DEPENDENCIES
        EXECUTABLES "${APP_EXE}" "${CLI_EXE}"
        MODULES ${plugins}
        RESOLVED_DEPENDENCIES_VAR libraries
        POST_INCLUDE_REGEXES "libQt6" "libqcoro" "keychain" "libhiredis"
        POST_EXCLUDE_REGEXES ".*")
    foreach(library IN LISTS libraries)
        get_filename_component(name "${library}" NAME)
        file(REAL_PATH "${library}" real_file)
        file(COPY_FILE "${real_file}" "${stage}/${name}")
    endforeach()
endif()

chatqueue_write_runtime_wxi(
    STAGING_DIR "${stage}"
    OUTPUT "${include_dir}/runtime.wxi"
    EXCLUDE chatqueue.exe chatq.exe)

# wixl resolves sources against the working directory only, so every path handed to the
# WiX source is relative to WORK_DIR.
file(COPY_FILE "${ICON_FILE}" "${WORK_DIR}/chatqueue.ico")
set(defines Version=${VERSION} Toolset=${TOOLSET} StagingDir=stage IconFile=chatqueue.ico
    "AboutUrl=${ABOUT_URL}")

if(TOOLSET STREQUAL "wix")
    list(TRANSFORM defines PREPEND "-d")
    execute_process(
        COMMAND "${CANDLE}" -nologo -arch x64 ${defines} "-I${include_dir}"
                -out chatqueue.wixobj "${WXS}"
        WORKING_DIRECTORY "${WORK_DIR}"
        COMMAND_ERROR_IS_FATAL ANY)
    execute_process(
        COMMAND "${LIGHT}" -nologo -spdb -out "${OUTPUT}" chatqueue.wixobj
        WORKING_DIRECTORY "${WORK_DIR}"
        COMMAND_ERROR_IS_FATAL ANY)
else()
    # wixl takes "-D name=value" as two arguments.
    set(wixl_defines "")
    foreach(define IN LISTS defines)
        list(APPEND wixl_defines -D "${define}")
    endforeach()
    execute_process(
        COMMAND "${WIXL}" -a x64 ${wixl_defines} -I "${include_dir}" -o "${OUTPUT}" "${WXS}"
        WORKING_DIRECTORY "${WORK_DIR}"
        RESULT_VARIABLE wixl_result)
    if(NOT wixl_result EQUAL 0 OR NOT EXISTS "${OUTPUT}")
        message(FATAL_ERROR "wixl could not compile ${WXS} (${wixl_result})")
    endif()
endif()

message(STATUS "Built ${OUTPUT}")
