from safeloop.core import maplayers


def test_registered_layers_are_listed_in_order_and_replaced_by_key():
    saved = dict(maplayers._LAYERS)
    try:
        maplayers._LAYERS.clear()
        maplayers.register_layer(maplayers.MapLayer("b", "乙", lambda user, region: [], order=2))
        maplayers.register_layer(maplayers.MapLayer("a", "甲", lambda user, region: [], order=1))
        maplayers.register_layer(maplayers.MapLayer("b", "乙二", lambda user, region: [], order=0))
        assert [layer.key for layer in maplayers.layers()] == ["b", "a"]
        assert maplayers.get_layer("b").title == "乙二"
        assert maplayers.get_layer("missing") is None
    finally:
        maplayers._LAYERS.clear()
        maplayers._LAYERS.update(saved)


def test_point_drops_rows_without_coordinates():
    assert maplayers.point(None, 28.5, name="x") is None
    feature = maplayers.point(112.3, 28.5, name="x")
    assert feature["geometry"]["coordinates"] == [112.3, 28.5]
    assert feature["properties"] == {"name": "x"}
