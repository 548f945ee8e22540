// SPDX-License-Identifier: MIT
#include "desktop/document_renderer.h"

namespace lecert::desktop {

namespace {

class CoreRenderer : public DocumentRenderer {
public:
    Result<RenderedPdfs> render(const Json& /*record*/, bool /*draft*/, std::optional<Date> /*today*/) const override {
        return Error{"PDF output is not available in this build yet.", {}};
    }
};

}  // namespace

std::unique_ptr<DocumentRenderer> createCoreRenderer() { return std::make_unique<CoreRenderer>(); }

}  // namespace lecert::desktop
