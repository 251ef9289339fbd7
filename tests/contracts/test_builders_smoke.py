from tests.builders import make_awarded_lot, make_contract, make_provider, make_service


def test_builders_make_an_awarded_active_contract(two_councils):
    commissioner = two_councils["alpha"]["people"]["commissioner"]
    provider = make_provider(commissioner)
    make_service(commissioner, provider)
    contract = make_contract(commissioner)
    lot = make_awarded_lot(commissioner, contract, provider)
    assert contract.status == "active"
    assert lot.awards.get().provider == provider
