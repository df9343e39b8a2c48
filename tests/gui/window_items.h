#pragma once
// Finding a window's items the way the GUI tests drive them: by objectName, in the visual tree (a view's
// delegates are its content item's child items, not its QObject children), top to bottom.
#include <QList>
#include <QPoint>
#include <QQuickItem>
#include <QQuickWindow>

#include <algorithm>

namespace ponder::test {

inline void collect(QQuickItem* item, const QString& name, QList<QQuickItem*>& found)
{
    if (item->objectName() == name)
        found << item;
    for (QQuickItem* child : item->childItems())
        collect(child, name, found);
}

// Items of that name, in the order they are laid out top to bottom (the transcript's rows).
inline QList<QQuickItem*> items(QQuickWindow* window, const char* name)
{
    QList<QQuickItem*> all;
    collect(window->contentItem(), QString::fromLatin1(name), all);
    std::sort(all.begin(), all.end(), [](QQuickItem* a, QQuickItem* b) {
        return a->mapToScene({0, 0}).y() < b->mapToScene({0, 0}).y();
    });
    return all;
}

// The visible items of that name, top to bottom.
inline QList<QQuickItem*> visibleItems(QQuickWindow* window, const char* name)
{
    QList<QQuickItem*> found = items(window, name);
    found.removeIf([](QQuickItem* i) { return !i->isVisible(); });
    return found;
}

inline QPoint centreOf(QQuickItem* item)
{
    return item->mapToScene(QPointF(item->width() / 2, item->height() / 2)).toPoint();
}

inline QQuickItem* item(QQuickWindow* window, const char* name)
{
    const QList<QQuickItem*> found = items(window, name);
    if (found.isEmpty())
        qFatal("no item named %s in the window", name);
    return found.first();
}

} // namespace ponder::test
