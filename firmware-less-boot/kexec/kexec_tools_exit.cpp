#include "firmware-less-boot/kexec/kexec_tools_exit.h"
#include <llvm/Support/raw_ostream.h>

namespace kdsim {

char KexecToolsExit::ID = 0;

// "why (kexec-tools: <first line of its output>, exit status N)": one line for error listings.
void KexecToolsExit::log(llvm::raw_ostream& os) const {
  const std::string first = m_output.substr(0, m_output.find('\n'));
  os << m_why << " (kexec-tools: " << first << ", exit status " << m_status << ")";
}

}  // namespace kdsim
