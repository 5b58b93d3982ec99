/* Trace-size sample "people": a small program of the kind CodeTracer's C samples are
 * (a few structs with names, a linked list, pointers into an array, a sort), to see
 * what everyday values cost per step. Prints the sorted list. */
#include <stdio.h>
#include <string.h>

struct person {
  char name[24];
  int age;
  struct person* next;
};

static struct person* insert_sorted(struct person* head, struct person* p) {
  if (!head || p->age < head->age) {
    p->next = head;
    return p;
  }
  struct person* cur = head;
  while (cur->next && cur->next->age <= p->age)
    cur = cur->next;
  p->next = cur->next;
  cur->next = p;
  return head;
}

static double average_age(const struct person* head) {
  int total = 0, count = 0;
  for (const struct person* p = head; p; p = p->next) {
    total += p->age;
    count++;
  }
  return count ? (double)total / count : 0.0;
}

int main(void) {
  static const char* names[] = {"Ada",     "Alan", "Grace",  "Edsger",   "Barbara", "Donald",
                                "Frances", "Ken",  "Dennis", "Margaret", "John",    "Radia"};
  struct person people[12];
  struct person* head = NULL;
  for (int i = 0; i < 12; i++) {
    strncpy(people[i].name, names[i], sizeof people[i].name - 1);
    people[i].name[sizeof people[i].name - 1] = '\0';
    people[i].age = 20 + (i * 37) % 50;
    people[i].next = NULL;
    head = insert_sorted(head, &people[i]);
  }
  for (struct person* p = head; p; p = p->next)
    printf("%-10s %d\n", p->name, p->age);
  printf("average age: %.2f\n", average_age(head));
  return 0;
}
