#pragma once
// ponder-cli models pull: one model file from Hugging Face, a mirror of it or ModelScope (or any URL) into
// Ponder's models folder, through the app's own downloader (app/download). Kept apart from cmd_models.cpp,
// which dispatches to it.
#include "commands.h"

#include <QString>

namespace ponder::cli {

// `args`: what follows "pull". Needs a QCoreApplication (runModels makes one). Throws ponder::Error for a
// failed download (status 1) and UsageError for a wrong call (2); returns 130 after Ctrl-C, the .part kept.
int pullModel(const Args& args, const QString& modelsFolder);

} // namespace ponder::cli
