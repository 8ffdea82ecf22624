// kexec-tools giving up on its own, before it calls kexec_load: what it prints on stderr and
// the status it exits with. This is a result of the load being simulated (a crashkernel= region
// too small for the capture kernel), not a fault of kdsim or of the scenario, so the scenario
// driver records it as the kexec step's own result (exit status + output) instead of a run
// error. The texts are kexec-tools', cited where each is produced (crash_load.cpp).
#pragma once
#include <llvm/Support/Error.h>
#include <string>

namespace kdsim {

class KexecToolsExit final : public llvm::ErrorInfo<KexecToolsExit> {
public:
  static char ID;
  // `status`: kexec's exit status (die() exits 1; main() returning EFAILED (-1) is 255).
  // `output`: exactly what kexec-tools prints, newline-terminated lines.
  // `why`: kdsim's explanation in its own terms (the region, the segment, the sizes).
  KexecToolsExit(int status, std::string output, std::string why)
      : m_status(status), m_output(std::move(output)), m_why(std::move(why)) {}

  int status() const { return m_status; }
  const std::string& output() const { return m_output; }
  const std::string& why() const { return m_why; }

  void log(llvm::raw_ostream& os) const override;
  std::error_code convertToErrorCode() const override { return llvm::inconvertibleErrorCode(); }

private:
  int m_status;
  std::string m_output;
  std::string m_why;
};

}  // namespace kdsim
