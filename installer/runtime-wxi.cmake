# chatqueue_write_runtime_wxi(STAGING_DIR <dir> OUTPUT <file> [EXCLUDE <name>...])
#
# Writes a WiX include with one component per folder of STAGING_DIR, holding every file
# there except the EXCLUDEd ones (names relative to STAGING_DIR, which the WiX source
# declares itself), and a ComponentGroup "DeployedRuntime" referring to them all.
#
# Each component keeps its key path in HKCU and removes its folder on uninstall, as a
# per-user install must (ICE38, ICE64). Its GUID is derived from the folder's relative
# path, so the same folder keeps the same component across builds and versions. Major
# upgrades remove the older product first, so the files inside a folder may change.
# File sources are written as $(var.StagingDir)/<relative path>.

# One namespace for every derived component GUID; changing it renames every component.
set(CHATQUEUE_RUNTIME_GUID_NAMESPACE "A0287545-88B8-4F30-B185-556AA78569F1")

# WiX identifiers: letters, digits, underscores and dots, at most 72 characters.
function(_chatqueue_wix_id out prefix relative_path)
    string(MAKE_C_IDENTIFIER "${relative_path}" readable)
    set(id "${prefix}${readable}")
    string(LENGTH "${id}" length)
    if(length GREATER 72 OR id IN_LIST _chatqueue_used_ids)
        string(MD5 digest "${relative_path}")
        string(SUBSTRING "${readable}" 0 32 short)
        set(id "${prefix}${short}_${digest}")
        string(SUBSTRING "${id}" 0 72 id)
    endif()
    set(_chatqueue_used_ids ${_chatqueue_used_ids} "${id}" PARENT_SCOPE)
    set(${out} "${id}" PARENT_SCOPE)
endfunction()

function(_chatqueue_xml_escape out text)
    string(REPLACE "&" "&amp;" text "${text}")
    string(REPLACE "<" "&lt;" text "${text}")
    string(REPLACE ">" "&gt;" text "${text}")
    string(REPLACE "\"" "&quot;" text "${text}")
    set(${out} "${text}" PARENT_SCOPE)
endfunction()

# Appends to `xml` the component of folder `dir` ("" for the root) and, nested, the
# folders below it; appends the component ids to `component_ids`.
function(_chatqueue_emit_folder dir indent)
    if(dir STREQUAL "")
        set(label "(root)")
        _chatqueue_wix_id(component_id "c_" "runtime")
    else()
        set(label "${dir}")
        _chatqueue_wix_id(component_id "c_" "runtime/${dir}")
    endif()
    string(UUID guid NAMESPACE "${CHATQUEUE_RUNTIME_GUID_NAMESPACE}"
        NAME "folder:${dir}" TYPE SHA1 UPPER)
    _chatqueue_xml_escape(label_xml "${label}")

    string(APPEND xml "${indent}<Component Id=\"${component_id}\" Guid=\"${guid}\">\n")
    foreach(file IN LISTS _chatqueue_files)
        get_filename_component(file_dir "${file}" DIRECTORY)
        if(NOT file_dir STREQUAL dir)
            continue()
        endif()
        get_filename_component(name "${file}" NAME)
        _chatqueue_wix_id(file_id "f_" "${file}")
        _chatqueue_xml_escape(name_xml "${name}")
        _chatqueue_xml_escape(file_xml "${file}")
        string(APPEND xml "${indent}  <File Id=\"${file_id}\" Name=\"${name_xml}\" "
            "Source=\"$(var.StagingDir)/${file_xml}\"/>\n")
    endforeach()
    string(APPEND xml "${indent}  <RegistryValue Root=\"HKCU\" "
        "Key=\"Software\\ChatQueue\\Installer\\Runtime\" Name=\"${label_xml}\" "
        "Type=\"integer\" Value=\"1\" KeyPath=\"yes\"/>\n")
    if(NOT dir STREQUAL "")
        _chatqueue_wix_id(remove_id "r_" "${dir}")
        string(APPEND xml "${indent}  <RemoveFolder Id=\"${remove_id}\" On=\"uninstall\"/>\n")
    endif()
    string(APPEND xml "${indent}</Component>\n")
    list(APPEND component_ids "${component_id}")

    foreach(child IN LISTS _chatqueue_dirs)
        get_filename_component(parent "${child}" DIRECTORY)
        if(child STREQUAL "" OR NOT parent STREQUAL dir)
            continue()
        endif()
        get_filename_component(child_name "${child}" NAME)
        _chatqueue_wix_id(directory_id "d_" "${child}")
        _chatqueue_xml_escape(child_xml "${child_name}")
        string(APPEND xml "${indent}<Directory Id=\"${directory_id}\" Name=\"${child_xml}\">\n")
        _chatqueue_emit_folder("${child}" "${indent}  ")
        string(APPEND xml "${indent}</Directory>\n")
    endforeach()

    set(xml "${xml}" PARENT_SCOPE)
    set(component_ids "${component_ids}" PARENT_SCOPE)
    set(_chatqueue_used_ids "${_chatqueue_used_ids}" PARENT_SCOPE)
endfunction()

function(chatqueue_write_runtime_wxi)
    cmake_parse_arguments(ARG "" "STAGING_DIR;OUTPUT" "EXCLUDE" ${ARGN})

    file(GLOB_RECURSE all_files LIST_DIRECTORIES false RELATIVE "${ARG_STAGING_DIR}"
        "${ARG_STAGING_DIR}/*")
    set(_chatqueue_files "")
    foreach(file IN LISTS all_files)
        if(NOT file IN_LIST ARG_EXCLUDE)
            list(APPEND _chatqueue_files "${file}")
        endif()
    endforeach()
    list(SORT _chatqueue_files)

    # Every folder that holds a file, with all of its parents, so each gets a component.
    set(_chatqueue_dirs "")
    foreach(file IN LISTS _chatqueue_files)
        get_filename_component(dir "${file}" DIRECTORY)
        while(NOT dir STREQUAL "")
            list(APPEND _chatqueue_dirs "${dir}")
            get_filename_component(dir "${dir}" DIRECTORY)
        endwhile()
    endforeach()
    list(REMOVE_DUPLICATES _chatqueue_dirs)
    list(SORT _chatqueue_dirs)

    set(_chatqueue_used_ids "")
    set(xml "")
    set(component_ids "")
    _chatqueue_emit_folder("" "      ")

    set(content "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n")
    string(APPEND content
        "<!-- Generated from the staging folder by installer/runtime-wxi.cmake. -->\n")
    string(APPEND content "<Include>\n  <Fragment>\n    <DirectoryRef Id=\"INSTALLDIR\">\n")
    string(APPEND content "${xml}")
    string(APPEND content "    </DirectoryRef>\n    <ComponentGroup Id=\"DeployedRuntime\">\n")
    foreach(id IN LISTS component_ids)
        string(APPEND content "      <ComponentRef Id=\"${id}\"/>\n")
    endforeach()
    string(APPEND content "    </ComponentGroup>\n  </Fragment>\n</Include>\n")
    file(WRITE "${ARG_OUTPUT}" "${content}")
endfunction()
