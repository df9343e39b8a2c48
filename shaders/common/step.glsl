// The position of the run's first token, read from a small buffer instead of a push constant, so that the
// commands recorded for one decode step are identical from token to token and can be replayed as they are
// (engine/backend/vulkan/vk_recorder.h). The includer sets STEP_BINDING to the binding that holds it.
layout(binding = STEP_BINDING) readonly buffer Step { uint firstPosition; } step;
