// Qt Quick Test runner for the QML components in ui/ (tst_*.qml in this folder), over real C++ objects.
#include "qml_test_setup.h"

#include <QtQuickTest/quicktest.h>

QUICK_TEST_MAIN_WITH_SETUP(ponder_qml_components, ponder::test::QmlTestSetup)
