// Command output as the reports show it. A command may print bytes no terminal shows as text
// (head -c of /proc/kcore is an ELF header): the transcript, summary.json and the HTML report
// then carry a size and a hexdump -C of the start instead, so each stays valid text (JSON
// strings must be UTF-8), and the bytes themselves go to a file of the output directory.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace kdsim {

// True when every byte is printable ASCII, a tab, a newline, a carriage return or part of a
// well-formed UTF-8 sequence.
bool is_text(std::string_view bytes);

// The output itself when it is text; else "(N bytes of binary output[, in FILE]; the first M:)"
// and `hexdump -C` lines of the first 64 bytes.
std::string displayable_output(std::string_view output, std::optional<std::string_view> saved_as = std::nullopt);

// Where the output of the run's command number `index` (from 0, the transcript's order) is
// saved in the output directory: "step-<index + 1>.out" when it is binary, none when it is text.
std::optional<std::string> step_output_file(std::string_view output, size_t index);

// displayable_output() naming that file.
std::string step_output_text(std::string_view output, size_t index);

}  // namespace kdsim
