//===- CommandLine.h - `peapod`'s commands -----------------------*- C++ -*-===//
#ifndef PEAPOD_RUNTIME_COMMANDLINE_H
#define PEAPOD_RUNTIME_COMMANDLINE_H

#include <string>
#include <vector>

namespace peapod::runtime {

/// `peapod run|doctor|cleanup|help` with `Args` (argv without argv[0]).
int runPeapodTool(const std::vector<std::string> &Args);

} // namespace peapod::runtime

#endif // PEAPOD_RUNTIME_COMMANDLINE_H
