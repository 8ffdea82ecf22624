# Cross-builds freestanding guest code (toy kernels, purgatory) with clang + ld.lld.
# The host toolchain is not used: every object is a custom command, so the guest flags never
# mix with the host's (sanitizers, warnings, -O levels).
#
#   kdsim_guest_image(NAME <target> ARCH arm64|x86_64 OUTPUT <file>
#                     SOURCES <.c/.S ...> [LINKER_SCRIPT <file>] [RELOCATABLE]
#                     [INCLUDES <dir ...>] [CFLAGS <flag ...>] [LDFLAGS <flag ...>])
find_program(KDSIM_GUEST_CC NAMES clang-14 clang REQUIRED)
find_program(KDSIM_GUEST_LD NAMES ld.lld-14 ld.lld REQUIRED)

set(KDSIM_GUEST_FLAGS_COMMON -ffreestanding -nostdlib -fno-builtin -fno-stack-protector
    -fno-exceptions -fno-asynchronous-unwind-tables -fno-unwind-tables -std=c11 -O2 -g
    -Wall -Wextra -Werror -Wno-unused-parameter)
set(KDSIM_GUEST_FLAGS_arm64 --target=aarch64-unknown-none-elf -mgeneral-regs-only -fpie)
set(KDSIM_GUEST_FLAGS_x86_64 --target=x86_64-unknown-none-elf -mno-sse -mno-sse2 -mno-mmx
    -mno-avx -mno-red-zone -mcmodel=kernel -fno-pic)

function(kdsim_guest_image)
  cmake_parse_arguments(G "RELOCATABLE" "NAME;ARCH;OUTPUT;LINKER_SCRIPT"
                        "SOURCES;INCLUDES;CFLAGS;LDFLAGS" ${ARGN})
  set(objdir ${CMAKE_CURRENT_BINARY_DIR}/${G_NAME}.objs)
  set(objects "")
  set(incflags "")
  foreach(inc ${G_INCLUDES})
    list(APPEND incflags -I${inc})
  endforeach()
  foreach(src ${G_SOURCES})
    get_filename_component(abs ${src} ABSOLUTE)
    file(RELATIVE_PATH rel ${CMAKE_CURRENT_SOURCE_DIR} ${abs})
    string(REPLACE "/" "_" flat ${rel})
    set(obj ${objdir}/${flat}.o)
    add_custom_command(OUTPUT ${obj}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${objdir}
      COMMAND ${KDSIM_GUEST_CC} ${KDSIM_GUEST_FLAGS_COMMON} ${KDSIM_GUEST_FLAGS_${G_ARCH}}
              ${G_CFLAGS} ${incflags} -MD -MF ${obj}.d -c ${abs} -o ${obj}
      DEPENDS ${abs}
      DEPFILE ${obj}.d
      COMMENT "guest ${G_ARCH} CC ${rel}"
      VERBATIM)
    list(APPEND objects ${obj})
  endforeach()
  set(ldflags ${G_LDFLAGS})
  set(deps ${objects})
  if(G_RELOCATABLE)
    list(APPEND ldflags -r)
  endif()
  if(G_LINKER_SCRIPT)
    get_filename_component(script ${G_LINKER_SCRIPT} ABSOLUTE)
    list(APPEND ldflags -T ${script})
    list(APPEND deps ${script})
  endif()
  add_custom_command(OUTPUT ${G_OUTPUT}
    COMMAND ${KDSIM_GUEST_LD} ${ldflags} ${objects} -o ${G_OUTPUT}
    DEPENDS ${deps}
    COMMENT "guest ${G_ARCH} LD ${G_OUTPUT}"
    VERBATIM)
  add_custom_target(${G_NAME} ALL DEPENDS ${G_OUTPUT})
endfunction()
