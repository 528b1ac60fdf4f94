# Builds the MSI with wixl from the Linux build (see build-msi.cmake), then reads it back
# with msiinfo and fails, listing every problem, unless the package holds what the WiX
# source promises: the product identity and version, the upgrade rule, the start-menu
# shortcut, both executables and every staged runtime file, per-user components, and the
# optional PATH entry.
#
#   cmake -DINPUTS=<msi-inputs-CONFIG.cmake> -DUPGRADE_CODE=<guid> -P check-msi.cmake
cmake_minimum_required(VERSION 3.25)

include("${CMAKE_CURRENT_LIST_DIR}/build-msi.cmake")

set(failures "")
# Records `message` as a failure unless the variable named `flag` is true.
macro(expect flag message)
    if(NOT ${flag})
        list(APPEND failures "${message}")
    endif()
endmacro()

# The rows of one table, as a list of lines with their tab-separated fields; a semicolon
# in a field reads "<semicolon>". msiinfo writes three header lines (names, types, key).
function(read_table table out)
    execute_process(COMMAND "${MSIINFO}" export "${OUTPUT}" "${table}"
        OUTPUT_VARIABLE text RESULT_VARIABLE result ERROR_QUIET)
    if(NOT result EQUAL 0)
        set(${out} "" PARENT_SCOPE)
        return()
    endif()
    string(REPLACE ";" "<semicolon>" text "${text}")
    string(REPLACE "\r\n" "\n" text "${text}")
    string(REGEX REPLACE "\n$" "" text "${text}")
    string(REPLACE "\n" ";" rows "${text}")
    list(REMOVE_AT rows 0 1 2)
    set(${out} "${rows}" PARENT_SCOPE)
endfunction()

# True in `out` when some row of `rows` matches the regular expression, given in one or
# more pieces that are joined.
function(has_row out rows)
    string(CONCAT regex ${ARGN})
    set(${out} FALSE PARENT_SCOPE)
    foreach(row IN LISTS rows)
        if(row MATCHES "${regex}")
            set(${out} TRUE PARENT_SCOPE)
            return()
        endif()
    endforeach()
endfunction()

string(TOUPPER "{${UPGRADE_CODE}}" upgrade_code)
string(REPLACE "." "\\." version_regex "${VERSION}")

# --- Tables ---
execute_process(COMMAND "${MSIINFO}" tables "${OUTPUT}" OUTPUT_VARIABLE tables_text
    COMMAND_ERROR_IS_FATAL ANY)
string(REPLACE "\n" ";" tables "${tables_text}")
foreach(table IN ITEMS Property Upgrade Shortcut Component File Registry Feature
        FeatureComponents Directory RemoveFile Icon)
    if(NOT table IN_LIST tables)
        list(APPEND failures "the ${table} table is missing")
    endif()
endforeach()

# --- Product identity and the uninstall entry ---
read_table(Property properties)
has_row(ok "${properties}" "^ProductName\tChatQueue$")
expect(ok "ProductName is not ChatQueue")
has_row(ok "${properties}" "^ProductVersion\t${version_regex}$")
expect(ok "ProductVersion is not ${VERSION}")
has_row(ok "${properties}" "^UpgradeCode\t${upgrade_code}$")
expect(ok "UpgradeCode is not ${upgrade_code}")
has_row(ok "${properties}" "^ARPPRODUCTICON\tchatqueue\\.ico$")
expect(ok "ARPPRODUCTICON does not name the icon")
if(NOT ABOUT_URL STREQUAL "")
    has_row(ok "${properties}" "^ARPURLINFOABOUT\t.+$")
    expect(ok "ARPURLINFOABOUT is not set")
endif()

# --- Upgrades: an older version with the same UpgradeCode is replaced, a newer one blocks.
read_table(Upgrade upgrades)
has_row(ok "${upgrades}" "^${upgrade_code}\t[^\t]*\t${version_regex}\t.*WIX_UPGRADE_DETECTED$")
expect(ok "no Upgrade row finds older versions of ${upgrade_code}")
has_row(ok "${upgrades}" "^${upgrade_code}\t${version_regex}\t.*WIX_DOWNGRADE_DETECTED$")
expect(ok "no Upgrade row detects newer versions of ${upgrade_code}")

# --- The start-menu shortcut runs chatqueue.exe, with the icon ---
read_table(Shortcut shortcuts)
has_row(ok "${shortcuts}"
    "^ChatQueueShortcut\tProgramMenuFolder\t[^\t]*ChatQueue\tStartMenuShortcut\t"
    "\\[#ChatQueueExe\\]\t")
expect(ok "no start-menu shortcut targets [#ChatQueueExe]")
has_row(ok "${shortcuts}" "^ChatQueueShortcut\t.*\tchatqueue\\.ico\t")
expect(ok "the shortcut has no icon")

# --- Files: both executables, and every staged file exactly once ---
read_table(File files)
has_row(ok "${files}" "^ChatQueueExe\tChatQueueApp\t([^\t|]*\\|)?chatqueue\\.exe\t")
expect(ok "chatqueue.exe is not in the File table")
has_row(ok "${files}" "^ChatqExe\tChatqTool\t([^\t|]*\\|)?chatq\\.exe\t")
expect(ok "chatq.exe is not in the File table")
file(GLOB_RECURSE staged LIST_DIRECTORIES false "${stage}/*")
list(LENGTH staged staged_count)
list(LENGTH files file_count)
if(NOT staged_count EQUAL file_count)
    list(APPEND failures
        "the File table has ${file_count} files, the staging folder ${staged_count}")
endif()
if(staged_count LESS 3)
    list(APPEND failures "no runtime was staged beside the executables")
endif()

# --- Directories: per user, under %LOCALAPPDATA%\Programs\ChatQueue ---
read_table(Directory directories)
has_row(ok "${directories}" "^UserProgramsFolder\tLocalAppDataFolder\tPrograms$")
expect(ok "UserProgramsFolder is not LocalAppDataFolder\\Programs")
has_row(ok "${directories}" "^INSTALLDIR\tUserProgramsFolder\t([^\t|]*\\|)?ChatQueue$")
expect(ok "INSTALLDIR is not Programs\\ChatQueue")

# --- Components: each keeps its key path in HKCU; the fixed ones sit where expected ---
read_table(Component components)
read_table(Registry registry)
foreach(component IN ITEMS ChatQueueApp ChatqTool ChatqOnPath)
    has_row(ok "${components}" "^${component}\t{[0-9A-F-]+}\tINSTALLDIR\t")
    expect(ok "component ${component} is not in INSTALLDIR")
endforeach()
has_row(ok "${components}" "^StartMenuShortcut\t{[0-9A-F-]+}\tProgramMenuFolder\t")
expect(ok "component StartMenuShortcut is not in ProgramMenuFolder")
foreach(row IN LISTS components)
    string(REPLACE "\t" ";" fields "${row}")
    list(GET fields 0 component)
    list(GET fields 3 attributes)
    math(EXPR registry_key_path "${attributes} & 4")
    expect(registry_key_path "component ${component} has no registry key path")
endforeach()
foreach(row IN LISTS registry)
    string(REPLACE "\t" ";" fields "${row}")
    list(GET fields 0 key)
    list(GET fields 1 root)
    if(NOT root EQUAL 1)
        list(APPEND failures "registry value ${key} is not under HKEY_CURRENT_USER")
    endif()
endforeach()

# --- Features: the main one holds the program, the optional one the PATH entry ---
read_table(FeatureComponents feature_components)
foreach(component IN ITEMS ChatQueueApp ChatqTool StartMenuShortcut)
    has_row(ok "${feature_components}" "^Main\t${component}$")
    expect(ok "feature Main does not install ${component}")
endforeach()
has_row(ok "${feature_components}" "^PathFeature\tChatqOnPath$")
expect(ok "feature PathFeature does not hold ChatqOnPath")
read_table(Feature features)
has_row(ok "${features}" "^PathFeature\t.*\t1000\t")
expect(ok "PathFeature is not off by default (level 1000)")

# --- The package asks for no elevation (word count bit 8: per-user) ---
execute_process(COMMAND "${MSIINFO}" suminfo "${OUTPUT}" OUTPUT_VARIABLE summary)
if(summary MATCHES "\nSource: ([0-9]+)")
    math(EXPR no_elevation "${CMAKE_MATCH_1} & 8")
    expect(no_elevation "the package asks for elevated privileges")
else()
    list(APPEND failures "the summary information has no word count")
endif()

# --- PATH: the Environment row appends the install folder to the user's PATH. wixl
# 0.101 cannot compile <Environment>, so without that table the check reads the element
# from the source as the WiX toolset will see it.
if("Environment" IN_LIST tables)
    read_table(Environment environment)
    has_row(ok "${environment}"
        "^[^\t]+\t[=+!*-]*PATH\t\\[~\\]<semicolon>\\[INSTALLDIR\\]\tChatqOnPath$")
    expect(ok "no Environment row appends [INSTALLDIR] to the user's PATH")
else()
    execute_process(
        COMMAND "${WIXL}" -E -D Toolset=wix -D Version=${VERSION} -D StagingDir=stage
                -D IconFile=chatqueue.ico -D "AboutUrl=${ABOUT_URL}" -I "${include_dir}" "${WXS}"
        WORKING_DIRECTORY "${WORK_DIR}"
        OUTPUT_VARIABLE preprocessed
        COMMAND_ERROR_IS_FATAL ANY)
    string(REGEX MATCH "<Component Id=\"ChatqOnPath\"[^>]*>[^<]*(<[^/][^>]*>[^<]*)*</Component>"
        path_component "${preprocessed}")
    string(REGEX MATCH "<Environment [^>]*/>" environment "${path_component}")
    foreach(attribute IN ITEMS "Name=\"PATH\"" "Value=\"[INSTALLDIR]\"" "Part=\"last\""
            "Action=\"set\"" "System=\"no\"" "Permanent=\"no\"")
        string(FIND "${environment}" "${attribute}" at)
        if(at EQUAL -1)
            list(APPEND failures "ChatqOnPath has no <Environment ${attribute}>")
        endif()
    endforeach()
endif()

if(failures)
    list(JOIN failures "\n  " report)
    message(FATAL_ERROR "${OUTPUT} is not what installer/chatqueue.wxs promises:\n  ${report}")
endif()
message(STATUS "${OUTPUT}: shortcut, upgrade, components, files, registry and PATH entry "
    "checked")
