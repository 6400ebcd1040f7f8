"""Places for requests in flight go to the steps that finish a begun product first."""

from __future__ import annotations

import asyncio

from jogg_pipeline.run.slots import BEGINNING, FINISHING, PrioritySlots


def test_waiters_are_served_by_priority_then_in_arrival_order() -> None:
    served: list[str] = []

    async def scenario() -> None:
        slots = PrioritySlots(1)
        release = asyncio.Event()

        async def holder() -> None:
            async with slots.hold(BEGINNING):
                await release.wait()

        async def waiter(name: str, priority: int) -> None:
            async with slots.hold(priority):
                served.append(name)

        first = asyncio.create_task(holder())
        await asyncio.sleep(0)
        tasks = [
            asyncio.create_task(waiter(name, priority))
            for name, priority in [
                ("product 2", BEGINNING),
                ("video 1a", FINISHING),
                ("product 3", BEGINNING),
                ("video 1b", FINISHING),
            ]
        ]
        await asyncio.sleep(0)
        release.set()
        await asyncio.gather(first, *tasks)

    asyncio.run(scenario())
    assert served == ["video 1a", "video 1b", "product 2", "product 3"]


def test_a_cancelled_waiter_gives_up_its_turn_and_no_place_is_lost() -> None:
    async def scenario() -> int:
        slots = PrioritySlots(2)
        entered = 0
        gate = asyncio.Event()

        async def user(priority: int) -> None:
            nonlocal entered
            async with slots.hold(priority):
                entered += 1
                await gate.wait()

        holders = [asyncio.create_task(user(BEGINNING)) for _ in range(2)]
        await asyncio.sleep(0)
        cancelled = asyncio.create_task(user(FINISHING))
        waiting = asyncio.create_task(user(BEGINNING))
        await asyncio.sleep(0)
        cancelled.cancel()
        gate.set()
        await asyncio.gather(*holders, waiting)
        # Both places are free again: two more enter at once.
        gate.clear()
        more = [asyncio.create_task(user(BEGINNING)) for _ in range(2)]
        await asyncio.sleep(0.01)
        both_in = entered
        gate.set()
        await asyncio.gather(*more)
        return both_in

    assert asyncio.run(scenario()) == 5
