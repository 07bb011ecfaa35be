import { PrismaClient } from '@prisma/client';

const prisma = new PrismaClient();

export async function memberCards(members: { cardId: string }[]) {
  const cards = [];
  for (const member of members) {
    cards.push(await prisma.card.findUnique({ where: { id: member.cardId } }));
  }
  return cards;
}
